using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Connections;

/// <summary>
/// One platform's OAuth 2.0 authorization-code flow: the consent-screen URL, and the exchange of the callback's code for
/// the accounts the person can publish to (with their tokens).
/// </summary>
public interface IOAuthProvider
{
    /// <summary>The flow: Facebook Login, Instagram Login or LinkedIn.</summary>
    AccountLogin Login { get; }

    /// <summary>The settings this flow needs and lacks (app id, app secret), or none when it can run.</summary>
    IReadOnlyList<string> MissingSettings { get; }

    /// <summary>Whether the flow sends a PKCE challenge (S256) and its verifier.</summary>
    bool UsesPkce { get; }

    string AuthorizationUrl(string state, string redirectUri, string? codeChallenge);

    /// <summary>
    /// Exchanges the code and lists the accounts. A refusal by the platform (a used or expired code, a wrong secret)
    /// or a platform that cannot be reached is an <see cref="OAuthExchangeException"/>.
    /// </summary>
    Task<IReadOnlyList<AuthorizedAccount>> ExchangeAsync(
        string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken);
}

/// <summary>An account the consenting person can publish to, with its token in clear (it is encrypted before it is kept).</summary>
public sealed record AuthorizedAccount(
    Platform Platform,
    string ExternalAccountId,
    string DisplayName,
    string? AccessToken,
    DateTimeOffset? TokenExpiresAt,
    string? RefreshToken = null,
    DateTimeOffset? RefreshTokenExpiresAt = null,
    string? Problem = null)
{
    /// <summary>Keeps tokens out of logs.</summary>
    public override string ToString() => $"{nameof(AuthorizedAccount)} {{ {Platform} {ExternalAccountId} }}";
}

/// <summary>The platform refused the exchange or the listing, or could not be reached. <see cref="Error"/> is a short code.</summary>
public sealed class OAuthExchangeException(string error, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Error { get; } = error;
}
