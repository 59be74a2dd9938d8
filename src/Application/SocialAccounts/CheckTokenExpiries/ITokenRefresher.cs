using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts.CheckTokenExpiries;

/// <summary>Renews a long-lived token with its platform, where the platform allows it (Instagram Login tokens).</summary>
public interface ITokenRefresher
{
    /// <summary>Whether this account's token can be renewed here at all.</summary>
    bool CanRefresh(SocialAccount account);

    /// <summary>The new token and its expiry, or the platform's refusal as a sentence.</summary>
    Task<TokenRefresh> RefreshAsync(SocialAccount account, string accessToken, CancellationToken cancellationToken);
}

public sealed record TokenRefresh(string? AccessToken, DateTimeOffset? ExpiresAt, string? Failure)
{
    public bool Succeeded => AccessToken is not null && ExpiresAt is not null;
}
