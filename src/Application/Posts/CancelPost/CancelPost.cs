using Scheduler.Application.Common.Idempotency;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Specifications;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Posts.CancelPost;

public sealed record CancelPostCommand(Guid PostId, Guid? CompanyId = null) : ICommand<PostDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class CancelPostCommandValidator : AbstractValidator<CancelPostCommand>
{
    public CancelPostCommandValidator() => RuleFor(c => c.PostId).NotEmpty();
}

public sealed class CancelPostCommandHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : ICommandHandler<CancelPostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(CancelPostCommand command, CancellationToken cancellationToken)
    {
        var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id))
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", command.PostId);
        post.Cancel(clock.UtcNow());
        return post.ToDto();
    }
}
