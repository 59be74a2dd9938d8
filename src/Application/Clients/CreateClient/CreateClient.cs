using Scheduler.Application.Common.Idempotency;
using FluentValidation;
using Mediator;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Clients;

namespace Scheduler.Application.Clients.CreateClient;

public sealed record CreateClientCommand(string Name, Guid? CompanyId = null) : ICommand<ClientDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class CreateClientCommandValidator : AbstractValidator<CreateClientCommand>
{
    public CreateClientCommandValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(Client.NameMaxLength);
}

public sealed class CreateClientCommandHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : ICommandHandler<CreateClientCommand, ClientDto>
{
    public ValueTask<ClientDto> Handle(CreateClientCommand command, CancellationToken cancellationToken)
    {
        var client = Client.Create(company.Id, command.Name, clock.UtcNow());
        db.Clients.Add(client);
        return ValueTask.FromResult(new ClientDto(client.Id, client.CompanyId, client.Name, client.CreatedAt, []));
    }
}
