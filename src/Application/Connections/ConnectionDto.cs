using Scheduler.Domain.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Connections;

/// <summary>A started flow: send the person to <see cref="AuthorizationUrl"/> before <see cref="ExpiresAt"/>.</summary>
public sealed record ConnectionStarted(Guid Id, AccountLogin Platform, string AuthorizationUrl, DateTimeOffset ExpiresAt);

/// <summary>A flow and, once authorized, the accounts found (never their tokens).</summary>
public sealed record ConnectionDto(
    Guid Id,
    AccountLogin Platform,
    ConnectionStatus Status,
    string? Error,
    string? ErrorDescription,
    Guid? ClientId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<ConnectionAccountDto> Accounts);

/// <summary>
/// An account the person can publish to. <see cref="SocialAccountId"/> names the account it would reconnect, when the
/// company already has it; <see cref="Problem"/> says why it cannot be connected, when it cannot.
/// </summary>
public sealed record ConnectionAccountDto(
    Platform Platform,
    string ExternalAccountId,
    string DisplayName,
    AccountLogin Login,
    DateTimeOffset? TokenExpiresAt,
    bool CanConnect,
    string? Problem,
    Guid? SocialAccountId);
