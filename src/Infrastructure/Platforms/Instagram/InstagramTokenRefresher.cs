using System.Text.Json;
using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.Instagram;

/// <summary>
/// Instagram Login long-lived tokens are renewed with
/// <c>GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token&amp;access_token=…</c> (the token must be at
/// least a day old and unexpired; the answer is a new 60-day token). The API takes the token in the query string, so
/// this client writes no request log lines.
/// </summary>
internal sealed class InstagramTokenRefresher(IHttpClientFactory http, TimeProvider clock) : ITokenRefresher
{
    public const string HttpClientName = "instagram-token-refresh";

    public bool CanRefresh(SocialAccount account) => account.Platform == Platform.Instagram && account.Login == AccountLogin.Instagram;

    public async Task<TokenRefresh> RefreshAsync(SocialAccount account, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        var path = $"refresh_access_token?grant_type=ig_refresh_token&access_token={Uri.EscapeDataString(accessToken)}";
        PlatformResponse response;
        try
        {
            using var answer = await http.CreateClient(HttpClientName).GetAsync(path, cancellationToken);
            response = await PlatformResponse.ReadAsync(answer, cancellationToken);
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new TokenRefresh(null, null, $"Instagram could not be reached ({ex.GetType().Name})");
        }

        if (!response.IsSuccess)
        {
            return new TokenRefresh(null, null, GraphError.TryParse(response.Body)?.ToString() ?? $"HTTP {(int)response.Status}");
        }

        var body = response.Json();
        return body.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } renewed
               && body.TryGetProperty("expires_in", out var expires) && expires.TryGetInt64(out var seconds)
            ? new TokenRefresh(renewed, clock.GetUtcNow().AddSeconds(seconds), null)
            : new TokenRefresh(null, null, "Instagram answered without a token or its lifetime");
    }
}
