using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>The platform refreshers as one: the first that can renew an account's token does.</summary>
internal sealed class TokenRefreshers(IReadOnlyList<ITokenRefresher> refreshers) : ITokenRefresher
{
    public bool CanRefresh(SocialAccount account) => refreshers.Any(r => r.CanRefresh(account));

    public Task<TokenRefresh> RefreshAsync(SocialAccount account, string accessToken, string? refreshToken, CancellationToken cancellationToken) =>
        refreshers.First(r => r.CanRefresh(account)).RefreshAsync(account, accessToken, refreshToken, cancellationToken);
}
