using Scheduler.Application.Common.Idempotency;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;
using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts.ConnectSocialAccount;

/// <summary>
/// Connects an account, or reconnects it when the company already has this platform's external id: the token is
/// replaced and the account is active again.
/// </summary>
public sealed record ConnectSocialAccountCommand(
    Platform Platform,
    string ExternalAccountId,
    string DisplayName,
    string AccessToken,
    Guid? ClientId = null,
    DateTimeOffset? TokenExpiresAt = null,
    Guid? CompanyId = null,
    AccountLogin? Login = null) : ICommand<ConnectedSocialAccount>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Keeps the token out of logs and exception messages.</summary>
    public override string ToString() =>
        $"{nameof(ConnectSocialAccountCommand)} {{ Platform = {Platform}, ExternalAccountId = {ExternalAccountId} }}";
}

public sealed record ConnectedSocialAccount(SocialAccountDto Account, bool Created);

public sealed class ConnectSocialAccountCommandValidator : AbstractValidator<ConnectSocialAccountCommand>
{
    public ConnectSocialAccountCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Platform).IsInEnum();
        RuleFor(c => c.ExternalAccountId).NotEmpty().MaximumLength(SocialAccount.ExternalAccountIdMaxLength);
        RuleFor(c => c.ExternalAccountId)
            .Matches(@"^urn:li:(person|organization):[A-Za-z0-9_-]+$")
            .When(c => c.Platform == Platform.LinkedIn && !string.IsNullOrEmpty(c.ExternalAccountId))
            .WithMessage("A LinkedIn account is its author URN: urn:li:person:<id> or urn:li:organization:<id>.");
        RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(SocialAccount.DisplayNameMaxLength);
        RuleFor(c => c.AccessToken).NotEmpty().MaximumLength(8192);
        RuleFor(c => c.ClientId).NotEqual(Guid.Empty);
        RuleFor(c => c.Login).IsInEnum()
            .Must((c, login) => login is null || login.Value.Serves(c.Platform))
            .WithMessage(c => $"A {EnumNames.Of(c.Platform)} account is connected through "
                              + (c.Platform == Platform.Instagram ? "facebook or instagram login." : $"{EnumNames.Of(AccountLogins.DefaultFor(c.Platform))} login."));
        RuleFor(c => c.TokenExpiresAt).GreaterThan(_ => clock.UtcNow())
            .When(c => c.TokenExpiresAt is not null)
            .WithMessage("tokenExpiresAt is in the past: the token has already expired.");
    }
}

/// <remarks>
/// The token is checked with the platform first (<c>Accounts:VerifyPastedTokens</c>, never in Sandbox mode): one that
/// cannot publish for the account is refused with 400 naming what it lacks, and the platform's expiry is kept when the
/// caller did not give one.
/// </remarks>
public sealed class ConnectSocialAccountCommandHandler(
    IApplicationDbContext db,
    ICurrentCompany company,
    ITokenProtector tokens,
    ITokenVerifier verifier,
    IOptions<AccountOptions> options,
    TimeProvider clock) : ICommandHandler<ConnectSocialAccountCommand, ConnectedSocialAccount>
{
    public async ValueTask<ConnectedSocialAccount> Handle(
        ConnectSocialAccountCommand command, CancellationToken cancellationToken)
    {
        var login = command.Login ?? AccountLogins.DefaultFor(command.Platform);
        var verified = options.Value.VerifyPastedTokens
            ? await verifier.VerifyAsync(command.Platform, login, command.ExternalAccountId.Trim(), command.AccessToken, cancellationToken)
            : TokenVerification.Unchecked;
        if (!verified.Accepted)
        {
            throw new ValidationException([new ValidationFailure("accessToken", verified.Refusal)]);
        }

        // The platform knows best; where it said nothing, the caller's word is kept.
        var expiresAt = verified.ExpiryKnown ? verified.ExpiresAt : command.TokenExpiresAt;
        if (command.ClientId is { } clientId
            && !await db.Clients.AnyAsync(c => c.Id == clientId && c.CompanyId == company.Id, cancellationToken))
        {
            throw new NotFoundException("client", clientId);
        }

        var now = clock.UtcNow();
        var externalId = command.ExternalAccountId.Trim();
        var protectedToken = tokens.Protect(command.AccessToken);
        var existing = await db.SocialAccounts.SingleOrDefaultAsync(
            a => a.CompanyId == company.Id && a.Platform == command.Platform && a.ExternalAccountId == externalId,
            cancellationToken);
        if (existing is not null)
        {
            existing.Reconnect(command.DisplayName, protectedToken, expiresAt, command.ClientId, now, command.Login);
            return new ConnectedSocialAccount(existing.ToDto(), Created: false);
        }

        var account = SocialAccount.Connect(
            company.Id, command.ClientId, command.Platform, externalId, command.DisplayName, protectedToken,
            expiresAt, now, command.Login);
        db.SocialAccounts.Add(account);
        return new ConnectedSocialAccount(account.ToDto(), Created: true);
    }
}
