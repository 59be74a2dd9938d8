using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts.CheckTokenExpiries;

/// <summary>
/// Renews a token with its platform, where the platform allows it: Instagram Login long-lived tokens, and LinkedIn
/// tokens whose app was given refresh tokens.
/// </summary>
public interface ITokenRefresher
{
    /// <summary>Whether this account's token can be renewed here at all.</summary>
    bool CanRefresh(SocialAccount account);

    /// <summary>The new token and its expiry, or the platform's refusal as a sentence.</summary>
    Task<TokenRefresh> RefreshAsync(SocialAccount account, string accessToken, string? refreshToken, CancellationToken cancellationToken);
}

/// <summary>
/// A renewal's outcome. A platform that hands out a new refresh token with the access token (LinkedIn) says so in
/// <see cref="RefreshToken"/> and <see cref="RefreshTokenExpiresAt"/>.
/// </summary>
public sealed record TokenRefresh(
    string? AccessToken,
    DateTimeOffset? ExpiresAt,
    string? Failure,
    string? RefreshToken = null,
    DateTimeOffset? RefreshTokenExpiresAt = null)
{
    /// <summary>Keeps tokens out of logs.</summary>
    public override string ToString() => $"{nameof(TokenRefresh)} {{ Succeeded = {Succeeded}, Failure = {Failure} }}";

    public bool Succeeded => AccessToken is not null && ExpiresAt is not null;
}
