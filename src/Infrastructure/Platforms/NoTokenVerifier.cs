using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>Asks nothing (Sandbox mode): sandbox tokens are not real, so every one is taken on trust.</summary>
public sealed class NoTokenVerifier : ITokenVerifier
{
    public Task<TokenVerification> VerifyAsync(
        Platform platform, AccountLogin login, string externalAccountId, string accessToken, CancellationToken cancellationToken) =>
        Task.FromResult(TokenVerification.Unchecked);
}
