using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Common;
using Scheduler.Domain.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Connections.StartConnection;

/// <summary>
/// Starts a platform's consent flow for the company: answers the URL to send the person to. The <c>state</c> in it is
/// random, single-use, short-lived and bound to this company; the person comes back to <see cref="ReturnUrl"/>, which
/// must be on the allow-list.
/// </summary>
public sealed record StartConnectionCommand(
    AccountLogin? Platform,
    string ReturnUrl,
    Guid? ClientId = null,
    Guid? CompanyId = null) : ICommand<ConnectionStarted>, ICompanyScoped, IIdempotentCommand
{
    public string? IdempotencyKey { get; init; }
}

public sealed class StartConnectionCommandValidator : AbstractValidator<StartConnectionCommand>
{
    public StartConnectionCommandValidator(IOptions<ConnectionOptions> options)
    {
        RuleFor(c => c.Platform).NotNull().IsInEnum()
            .WithMessage("platform must be facebook (Pages and their Instagram accounts), instagram (Instagram Login) or linkedin.");
        RuleFor(c => c.ReturnUrl).NotEmpty().MaximumLength(Connection.ReturnUrlMaxLength);
        RuleFor(c => c.ReturnUrl)
            .Must(url => options.Value.IsAllowedReturnUrl(url))
            .When(c => !string.IsNullOrEmpty(c.ReturnUrl) && c.ReturnUrl.Length <= Connection.ReturnUrlMaxLength)
            .WithMessage("returnUrl is not on the allowed list (Connections:AllowedReturnUrls): the person can only be sent back to a configured address.");
        RuleFor(c => c.ClientId).NotEqual(Guid.Empty);
    }
}

public sealed class StartConnectionCommandHandler(
    IApplicationDbContext db,
    ICurrentCompany company,
    IEnumerable<IOAuthProvider> providers,
    IOptions<ConnectionOptions> options,
    ITokenProtector tokens,
    TimeProvider clock) : ICommandHandler<StartConnectionCommand, ConnectionStarted>
{
    public async ValueTask<ConnectionStarted> Handle(StartConnectionCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var platform = command.Platform!.Value;
        var provider = providers.FirstOrDefault(p => p.Login == platform);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.RedirectBaseUrl))
        {
            missing.Add($"{ConnectionOptions.Section}:{nameof(ConnectionOptions.RedirectBaseUrl)}");
        }

        missing.AddRange(provider?.MissingSettings ?? ["the live publishers (Publishing:Mode=Live)"]);
        if (missing.Count > 0)
        {
            throw new NotConfiguredException(
                $"Connecting {EnumNames.Of(platform)} accounts is not configured here: set {string.Join(", ", missing)}.");
        }

        if (command.ClientId is { } clientId
            && !await db.Clients.AnyAsync(c => c.Id == clientId && c.CompanyId == company.Id, cancellationToken))
        {
            throw new NotFoundException("client", clientId);
        }

        var now = clock.UtcNow();
        // Flows nobody finished, and authorized ones past their time, go with their tokens.
        await db.Connections.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);

        var state = OAuthSecrets.NewRandom();
        var verifier = provider!.UsesPkce ? OAuthSecrets.NewRandom() : null;
        var connection = Connection.Start(
            company.Id, platform, OAuthSecrets.Hash(state), verifier is null ? null : tokens.Protect(verifier),
            command.ReturnUrl, command.ClientId, now, TimeSpan.FromMinutes(settings.StateLifetimeMinutes));
        db.Connections.Add(connection);

        var url = provider.AuthorizationUrl(
            state, settings.RedirectUri(platform), verifier is null ? null : OAuthSecrets.Challenge(verifier));
        return new ConnectionStarted(connection.Id, platform, url, connection.ExpiresAt);
    }
}
