using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.OAuth;

/// <summary>
/// Checks a pasted token with its platform. With the app's credentials it asks the platform's own introspection —
/// Graph <c>debug_token</c> (type, Page, permissions per account, expiry) or LinkedIn <c>introspectToken</c> (active,
/// scope, expiry) — and who the token speaks for; without them it can only ask who the token speaks for.
/// </summary>
internal sealed class PlatformTokenVerifier(
    IHttpClientFactory http,
    IOptionsMonitor<FacebookOptions> facebook,
    IOptionsMonitor<InstagramOptions> instagram,
    IOptionsMonitor<LinkedInOptions> linkedIn) : ITokenVerifier
{
    public Task<TokenVerification> VerifyAsync(
        Platform platform, AccountLogin login, string externalAccountId, string accessToken, CancellationToken cancellationToken) =>
        (platform, login) switch
        {
            (Platform.Facebook, _) => FacebookPageAsync(externalAccountId, accessToken, cancellationToken),
            (Platform.Instagram, AccountLogin.Instagram) => InstagramLoginAsync(externalAccountId, accessToken, cancellationToken),
            (Platform.Instagram, _) => InstagramThroughFacebookAsync(externalAccountId, accessToken, cancellationToken),
            _ => LinkedInAsync(externalAccountId, accessToken, cancellationToken),
        };

    private async Task<TokenVerification> FacebookPageAsync(string pageId, string token, CancellationToken ct)
    {
        var o = facebook.CurrentValue;
        var graph = $"{o.BaseUrl.TrimEnd('/')}/{o.Version}";
        if (!o.HasApp)
        {
            // A Page token's /me is the Page itself.
            var me = await GraphAsync(OAuthHttp.Get($"{graph}/me?fields=id,name", token), "Facebook", ct);
            return me.Refusal is not null ? TokenVerification.Refuse(me.Refusal)
                : me.Body.Text("id") == pageId ? TokenVerification.Unchecked
                : TokenVerification.Refuse($"The token speaks for {me.Body.Text("id")}, not for the Page {pageId}: a Page is connected with its Page token.");
        }

        var (data, refusal) = await DebugTokenAsync(o, graph, token, ct);
        if (refusal is not null)
        {
            return TokenVerification.Refuse(refusal);
        }

        if (!string.Equals(data.Text("type"), "PAGE", StringComparison.OrdinalIgnoreCase))
        {
            return TokenVerification.Refuse(
                $"This is a {data.Text("type")?.ToLowerInvariant() ?? "non-Page"} token, not a Page token: read the Page's token with GET /{pageId}?fields=access_token, or connect through POST /connections.");
        }

        if (data.Text("profile_id") is { Length: > 0 } profile && profile != pageId)
        {
            return TokenVerification.Refuse($"This Page token is for the Page {profile}, not for {pageId}.");
        }

        return Missing(data, "pages_manage_posts", null) is { } missing ? TokenVerification.Refuse(missing) : Accepted(data);
    }

    private async Task<TokenVerification> InstagramThroughFacebookAsync(string accountId, string token, CancellationToken ct)
    {
        var o = facebook.CurrentValue;
        var graph = $"{instagram.CurrentValue.BaseUrl.TrimEnd('/')}/{instagram.CurrentValue.Version}";
        if (!o.HasApp)
        {
            var account = await GraphAsync(OAuthHttp.Get($"{graph}/{Uri.EscapeDataString(accountId)}?fields=id,username", token), "Instagram", ct);
            return account.Refusal is not null
                ? TokenVerification.Refuse($"The token cannot read the Instagram account {accountId}: {account.Refusal}")
                : TokenVerification.Unchecked;
        }

        var (data, refusal) = await DebugTokenAsync(o, graph, token, ct);
        if (refusal is not null)
        {
            return TokenVerification.Refuse(refusal);
        }

        var missing = Missing(data, "instagram_content_publish", accountId) ?? Missing(data, "instagram_basic", null);
        return missing is not null ? TokenVerification.Refuse(missing) : Accepted(data);
    }

    private async Task<TokenVerification> InstagramLoginAsync(string accountId, string token, CancellationToken ct)
    {
        var o = instagram.CurrentValue;
        var me = await GraphAsync(
            OAuthHttp.Get($"{o.InstagramLoginBaseUrl.TrimEnd('/')}/{o.Version}/me?fields=user_id,username", token), "Instagram", OAuthHttp.InstagramClient, ct);
        if (me.Refusal is not null)
        {
            return TokenVerification.Refuse(me.Refusal);
        }

        var id = me.Body.Text("user_id") ?? me.Body.Text("id");
        return id == accountId
            ? TokenVerification.Unchecked
            : TokenVerification.Refuse($"The token is for the Instagram account {id}, not for {accountId}.");
    }

    private async Task<TokenVerification> LinkedInAsync(string urn, string token, CancellationToken ct)
    {
        var o = linkedIn.CurrentValue;
        var person = urn.StartsWith("urn:li:person:", StringComparison.Ordinal);
        HashSet<string>? scopes = null;
        DateTimeOffset? expiresAt = null;
        if (o.HasApp)
        {
            var introspection = await SendAsync(
                OAuthHttp.PostForm($"{o.OAuthBaseUrl.TrimEnd('/')}/oauth/v2/introspectToken", new Dictionary<string, string>
                {
                    ["client_id"] = o.AppId!,
                    ["client_secret"] = o.AppSecret!,
                    ["token"] = token,
                }),
                "LinkedIn", OAuthHttp.LinkedInClient, ct);
            if (!introspection.IsSuccess)
            {
                throw new PlatformUnreachableException($"LinkedIn could not introspect the token (HTTP {(int)introspection.Status}); check Platforms:LinkedIn:AppId and AppSecret.");
            }

            var body = introspection.Json();
            if (!(body.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.True))
            {
                return TokenVerification.Refuse($"LinkedIn says the token is not active ({body.Text("status") ?? "inactive"}): connect the account again.");
            }

            scopes = (body.Text("scope") ?? string.Empty).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .ToHashSet(StringComparer.Ordinal);
            var needed = person ? "w_member_social" : "w_organization_social";
            if (!scopes.Contains(needed))
            {
                return TokenVerification.Refuse($"The token lacks the permission {needed}, which posting as this {(person ? "member" : "organization")} needs.");
            }

            expiresAt = body.Number("expires_at") is { } seconds and > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }

        if (person && (scopes is null || scopes.Contains("openid")))
        {
            var me = await SendAsync(OAuthHttp.Get($"{o.BaseUrl.TrimEnd('/')}/v2/userinfo", token), "LinkedIn", OAuthHttp.LinkedInClient, ct);
            if ((int)me.Status == 401)
            {
                return TokenVerification.Refuse("LinkedIn rejected the token (401): it is expired or revoked.");
            }

            if (me.IsSuccess && me.Json().Text("sub") is { } sub && "urn:li:person:" + sub != urn)
            {
                return TokenVerification.Refuse($"The token is the member urn:li:person:{sub}'s, not {urn}'s.");
            }
        }

        return scopes is null ? TokenVerification.Unchecked : TokenVerification.Accept(expiresAt, expiryKnown: true);
    }

    /// <summary><c>debug_token</c> with the app's own token: the token's data, or why it cannot be used.</summary>
    private async Task<(JsonElement Data, string? Refusal)> DebugTokenAsync(FacebookOptions o, string graph, string token, CancellationToken ct)
    {
        var answer = await GraphAsync(
            OAuthHttp.Get($"{graph}/debug_token?" + OAuthHttp.Query(("input_token", token), ("access_token", $"{o.AppId}|{o.AppSecret}"))), "Facebook", ct);
        if (answer.Refusal is not null)
        {
            return (default, answer.Refusal);
        }

        var data = answer.Body.TryGetProperty("data", out var d) ? d : default;
        if (!(data.ValueKind == JsonValueKind.Object && data.TryGetProperty("is_valid", out var valid) && valid.ValueKind == JsonValueKind.True))
        {
            var why = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("error", out var error) ? error.Text("message") : null;
            return (data, $"Facebook says the token is not valid{(why is null ? string.Empty : ": " + why)}.");
        }

        return data.Text("app_id") is { Length: > 0 } app && app != o.AppId
            ? (data, $"The token was issued to the app {app}, not to this service's app {o.AppId}.")
            : (data, null);
    }

    /// <summary>The permission is missing, or granted for other accounts only (<c>granular_scopes</c> target ids).</summary>
    private static string? Missing(JsonElement data, string permission, string? target)
    {
        var scopes = data.TryGetProperty("scopes", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(s => s.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        if (!scopes.Contains(permission))
        {
            return $"The token lacks the permission {permission}.";
        }

        if (target is null || !data.TryGetProperty("granular_scopes", out var granular) || granular.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var grant = granular.EnumerateArray().FirstOrDefault(g => g.Text("scope") == permission);
        return grant.ValueKind == JsonValueKind.Object && grant.TryGetProperty("target_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
               && !ids.EnumerateArray().Any(id => id.GetString() == target)
            ? $"The permission {permission} was granted for other accounts, not for {target}."
            : null;
    }

    private static TokenVerification Accepted(JsonElement data) =>
        TokenVerification.Accept(
            data.Number("expires_at") is { } seconds and > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            expiryKnown: true);

    private async Task<(JsonElement Body, string? Refusal)> GraphAsync(
        HttpRequestMessage request, string platform, CancellationToken ct) => await GraphAsync(request, platform, OAuthHttp.FacebookClient, ct);

    private async Task<(JsonElement Body, string? Refusal)> GraphAsync(
        HttpRequestMessage request, string platform, string client, CancellationToken ct)
    {
        var response = await SendAsync(request, platform, client, ct);
        if (response.IsSuccess)
        {
            return (response.Json(), null);
        }

        if ((int)response.Status >= 500)
        {
            throw new PlatformUnreachableException($"{platform} could not check the token (HTTP {(int)response.Status}); try again.");
        }

        var error = GraphError.TryParse(response.Body);
        return (default, error is null ? $"{platform} refused the token (HTTP {(int)response.Status})." : $"{platform} refused the token: {error}.");
    }

    private async Task<PlatformResponse> SendAsync(HttpRequestMessage request, string platform, string clientName, CancellationToken ct)
    {
        var client = http.CreateClient(clientName);
        try
        {
            using (request)
            {
                using var answer = await client.SendAsync(request, ct);
                return await PlatformResponse.ReadAsync(answer, ct);
            }
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            throw new PlatformUnreachableException($"{platform} could not be reached to check the token ({ex.GetType().Name}); try again, or set Accounts:VerifyPastedTokens to false.", ex);
        }
    }
}
