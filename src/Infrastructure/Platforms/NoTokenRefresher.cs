using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>Renews nothing (Sandbox mode): expiring tokens are only warned about.</summary>
public sealed class NoTokenRefresher : ITokenRefresher
{
    public bool CanRefresh(SocialAccount account) => false;

    public Task<TokenRefresh> RefreshAsync(SocialAccount account, string accessToken, string? refreshToken, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Sandbox mode renews no token.");
}
