using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms.OAuth;

/// <summary>
/// Instagram Login (Business Login for Instagram), for professional accounts without a Page: the authorization window,
/// the code exchanged at <c>api.instagram.com/oauth/access_token</c> for a one-hour token, that token exchanged for a
/// 60-day one (<c>ig_exchange_token</c>, renewed later by the daily job), and <c>/me</c> for the account's id and name.
/// Instagram documents no PKCE for this flow.
/// </summary>
internal sealed class InstagramOAuthProvider(IHttpClientFactory http, IOptionsMonitor<InstagramOptions> options, TimeProvider clock)
    : IOAuthProvider
{
    private const string Platform = "Instagram";
    private const string PublishPermission = "instagram_business_content_publish";

    public AccountLogin Login => AccountLogin.Instagram;

    public IReadOnlyList<string> MissingSettings => options.CurrentValue.MissingAppSettings(InstagramOptions.Section);

    public bool UsesPkce => false;

    public string AuthorizationUrl(string state, string redirectUri, string? codeChallenge)
    {
        var o = options.CurrentValue;
        return $"{o.AuthorizeBaseUrl.TrimEnd('/')}/oauth/authorize?" + OAuthHttp.Query(
            ("client_id", o.AppId),
            ("redirect_uri", redirectUri),
            ("response_type", "code"),
            ("scope", string.Join(',', o.EffectiveScopes)),
            ("state", state));
    }

    public async Task<IReadOnlyList<AuthorizedAccount>> ExchangeAsync(
        string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        var client = http.CreateClient(OAuthHttp.InstagramClient);
        var exchanged = await OAuthHttp.SendAsync(
            client,
            OAuthHttp.PostForm($"{o.TokenBaseUrl.TrimEnd('/')}/oauth/access_token", new Dictionary<string, string>
            {
                ["client_id"] = o.AppId!,
                ["client_secret"] = o.AppSecret!,
                ["grant_type"] = "authorization_code",
                ["redirect_uri"] = redirectUri,
                ["code"] = code,
            }),
            Platform, Refusal, cancellationToken);
        // Documented both as {"data":[{…}]} and as the bare object.
        var token = exchanged.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0
            ? data[0]
            : exchanged;
        var granted = Permissions(token);

        var host = o.InstagramLoginBaseUrl.TrimEnd('/');
        var longLived = await OAuthHttp.SendAsync(
            client,
            OAuthHttp.Get($"{host}/access_token?" + OAuthHttp.Query(
                ("grant_type", "ig_exchange_token"), ("client_secret", o.AppSecret), ("access_token", token.Required("access_token", Platform)))),
            Platform, Refusal, cancellationToken);
        var accessToken = longLived.Required("access_token", Platform);
        var expiresAt = longLived.Number("expires_in") is { } seconds ? clock.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;

        var me = await OAuthHttp.SendAsync(
            client, OAuthHttp.Get($"{host}/{o.Version}/me?fields=user_id,username,account_type", accessToken), Platform, Refusal, cancellationToken);
        var id = me.Text("user_id") ?? token.Text("user_id") ?? me.Required("id", Platform);
        var username = me.Text("username");
        var problem = granted is not null && !granted.Contains(PublishPermission)
            ? $"The permission {PublishPermission} was not granted: connect again and allow it."
            : null;
        return [new AuthorizedAccount(Domain.SocialAccounts.Platform.Instagram, id, username is null ? id : "@" + username, accessToken, expiresAt, Problem: problem)];
    }

    /// <summary>The granted permissions, as a list or a comma-separated string; null when not said.</summary>
    private static HashSet<string>? Permissions(JsonElement token)
    {
        if (!token.TryGetProperty("permissions", out var permissions))
        {
            return null;
        }

        var names = permissions.ValueKind switch
        {
            JsonValueKind.Array => permissions.EnumerateArray().Select(p => p.GetString()),
            JsonValueKind.String => permissions.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        };
        return names.OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    private static string Refusal(PlatformResponse response)
    {
        try
        {
            var body = response.Json();
            return body.Text("error_message") ?? body.Text("error_description")
                   ?? (body.TryGetProperty("error", out var error) ? error.Text("message") ?? error.GetRawText() : null)
                   ?? $"HTTP {(int)response.Status}";
        }
        catch (JsonException)
        {
            return $"HTTP {(int)response.Status}";
        }
    }
}
