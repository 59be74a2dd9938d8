using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts.ConnectSocialAccount;

/// <summary>
/// Asks the platform whether a pasted token can publish for the account it is pasted for: a Facebook token must be a
/// Page token of that Page, an Instagram or LinkedIn token must carry the publishing permission for that account. A
/// platform that cannot be reached is <see cref="Common.Exceptions.PlatformUnreachableException"/>.
/// </summary>
public interface ITokenVerifier
{
    Task<TokenVerification> VerifyAsync(
        Platform platform, AccountLogin login, string externalAccountId, string accessToken, CancellationToken cancellationToken);
}

/// <summary>The platform's answer: refused with a sentence naming what is missing, or accepted with the expiry it knows.</summary>
public sealed record TokenVerification(string? Refusal, DateTimeOffset? ExpiresAt, bool ExpiryKnown)
{
    public bool Accepted => Refusal is null;

    public static TokenVerification Accept(DateTimeOffset? expiresAt, bool expiryKnown) => new(null, expiresAt, expiryKnown);

    public static TokenVerification Refuse(string refusal) => new(refusal, null, false);

    /// <summary>Nothing was asked (Sandbox mode, or the check turned off).</summary>
    public static TokenVerification Unchecked { get; } = new(null, null, false);
}
