using Microsoft.Extensions.Options;
using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.OAuth;

namespace Scheduler.Infrastructure.Platforms.LinkedIn;

/// <summary>
/// LinkedIn access tokens live 60 days; apps LinkedIn gave refresh tokens (approved partners) renew them with
/// <c>POST /oauth/v2/accessToken grant_type=refresh_token</c>. The answer carries a new access token and the refresh
/// token again, whose own expiry (365 days from the first consent) does not move.
/// </summary>
internal sealed class LinkedInTokenRefresher(IHttpClientFactory http, IOptionsMonitor<LinkedInOptions> options, TimeProvider clock)
    : ITokenRefresher
{
    public bool CanRefresh(SocialAccount account) =>
        account.Platform == Platform.LinkedIn && options.CurrentValue.HasApp && account.CanRenewWithRefreshToken(clock.GetUtcNow());

    public async Task<TokenRefresh> RefreshAsync(SocialAccount account, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken is null)
        {
            return new TokenRefresh(null, null, "no refresh token is held for this account");
        }

        var o = options.CurrentValue;
        PlatformResponse response;
        try
        {
            using var request = OAuthHttp.PostForm($"{o.OAuthBaseUrl.TrimEnd('/')}/oauth/v2/accessToken", new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = o.AppId!,
                ["client_secret"] = o.AppSecret!,
            });
            using var answer = await http.CreateClient(OAuthHttp.LinkedInClient).SendAsync(request, cancellationToken);
            response = await PlatformResponse.ReadAsync(answer, cancellationToken);
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new TokenRefresh(null, null, $"LinkedIn could not be reached ({ex.GetType().Name})");
        }

        var now = clock.GetUtcNow();
        if (!response.IsSuccess)
        {
            string? reason = null;
            try
            {
                var error = response.Json();
                reason = error.Text("error_description") ?? error.Text("error");
            }
            catch (System.Text.Json.JsonException)
            {
                // not JSON: the status says it
            }

            return new TokenRefresh(null, null, $"LinkedIn refused the refresh (HTTP {(int)response.Status}{(reason is null ? string.Empty : ": " + reason)})");
        }

        var body = response.Json();
        return body.Text("access_token") is { Length: > 0 } renewed && body.Number("expires_in") is { } seconds
            ? new TokenRefresh(
                renewed,
                now.AddSeconds(seconds),
                null,
                body.Text("refresh_token") ?? refreshToken,
                body.Number("refresh_token_expires_in") is { } refreshSeconds ? now.AddSeconds(refreshSeconds) : account.RefreshTokenExpiresAt)
            : new TokenRefresh(null, null, "LinkedIn answered without a token or its lifetime");
    }
}
