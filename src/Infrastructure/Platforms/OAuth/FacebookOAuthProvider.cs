using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Connections;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.OAuth;

/// <summary>
/// Facebook Login for Pages and their Instagram accounts: the Login dialog (with PKCE), the code exchanged for a user
/// token, that token exchanged for a long-lived one (<c>fb_exchange_token</c>), and <c>/me/accounts</c> read with it —
/// the Pages the person manages, each with its own Page token (which does not expire) and its linked Instagram
/// business account. <c>/me/permissions</c> says which permissions the person declined.
/// </summary>
internal sealed class FacebookOAuthProvider(IHttpClientFactory http, IOptionsMonitor<FacebookOptions> options)
    : IOAuthProvider
{
    private const string Platform = "Facebook";
    private const int MaxPages = 20;

    public AccountLogin Login => AccountLogin.Facebook;

    public IReadOnlyList<string> MissingSettings => options.CurrentValue.MissingAppSettings(FacebookOptions.Section);

    public bool UsesPkce => options.CurrentValue.UsePkce;

    public string AuthorizationUrl(string state, string redirectUri, string? codeChallenge)
    {
        var o = options.CurrentValue;
        return $"{o.DialogBaseUrl.TrimEnd('/')}/{o.Version}/dialog/oauth?" + OAuthHttp.Query(
            ("client_id", o.AppId),
            ("redirect_uri", redirectUri),
            ("state", state),
            ("response_type", "code"),
            ("scope", string.Join(',', o.EffectiveScopes)),
            ("code_challenge", codeChallenge),
            ("code_challenge_method", codeChallenge is null ? null : "S256"));
    }

    public async Task<IReadOnlyList<AuthorizedAccount>> ExchangeAsync(
        string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        var client = http.CreateClient(OAuthHttp.FacebookClient);
        var graph = $"{o.BaseUrl.TrimEnd('/')}/{o.Version}";
        var shortLived = await OAuthHttp.SendAsync(
            client,
            OAuthHttp.Get($"{graph}/oauth/access_token?" + OAuthHttp.Query(
                ("client_id", o.AppId), ("redirect_uri", redirectUri), ("client_secret", o.AppSecret), ("code", code),
                ("code_verifier", codeVerifier))),
            Platform, Refusal, cancellationToken);
        var longLived = await OAuthHttp.SendAsync(
            client,
            OAuthHttp.Get($"{graph}/oauth/access_token?" + OAuthHttp.Query(
                ("grant_type", "fb_exchange_token"), ("client_id", o.AppId), ("client_secret", o.AppSecret),
                ("fb_exchange_token", shortLived.Required("access_token", Platform)))),
            Platform, Refusal, cancellationToken);
        var userToken = longLived.Required("access_token", Platform);

        var permissions = await OAuthHttp.SendAsync(client, OAuthHttp.Get($"{graph}/me/permissions", userToken), Platform, Refusal, cancellationToken);
        var granted = permissions.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(p => p.Text("status") == "granted").Select(p => p.Text("permission")).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];

        var accounts = new List<AuthorizedAccount>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await OAuthHttp.SendAsync(
                client,
                OAuthHttp.Get($"{graph}/me/accounts?" + OAuthHttp.Query(
                    ("fields", "id,name,access_token,tasks,instagram_business_account{id,username,name}"), ("limit", "100"), ("after", after)), userToken),
                Platform, Refusal, cancellationToken);
            if (!answer.TryGetProperty("data", out var pages) || pages.ValueKind != JsonValueKind.Array)
            {
                break;
            }

            foreach (var item in pages.EnumerateArray())
            {
                accounts.AddRange(FromPage(item, granted));
            }

            after = answer.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out _)
                    && paging.TryGetProperty("cursors", out var cursors) ? cursors.Text("after") : null;
            if (after is null)
            {
                break;
            }
        }

        return accounts;
    }

    private static IEnumerable<AuthorizedAccount> FromPage(JsonElement page, HashSet<string> granted)
    {
        var id = page.Text("id");
        if (string.IsNullOrEmpty(id))
        {
            yield break;
        }

        var name = page.Text("name") ?? id;
        var token = page.Text("access_token");
        var tasks = page.TryGetProperty("tasks", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
            : null;
        var pageProblem = token is null
            ? "Facebook returned no Page token: the person's role on this Page does not allow publishing."
            : tasks is not null && !tasks.Contains("CREATE_CONTENT")
                ? $"The person's role on this Page cannot create content (tasks: {string.Join(", ", tasks)})."
                : Missing(granted, "pages_manage_posts");
        yield return new AuthorizedAccount(Domain.SocialAccounts.Platform.Facebook, id, name, token, null, Problem: pageProblem);

        if (page.TryGetProperty("instagram_business_account", out var instagram) && instagram.Text("id") is { Length: > 0 } igId)
        {
            var username = instagram.Text("username");
            yield return new AuthorizedAccount(
                Domain.SocialAccounts.Platform.Instagram,
                igId,
                username is null ? instagram.Text("name") ?? igId : "@" + username,
                token,
                null,
                Problem: token is null ? pageProblem : Missing(granted, "instagram_content_publish"));
        }
    }

    private static string? Missing(HashSet<string> granted, string permission) =>
        granted.Count == 0 || granted.Contains(permission)
            ? null
            : $"The permission {permission} was not granted: connect again and allow it.";

    private static string Refusal(PlatformResponse response) =>
        GraphError.TryParse(response.Body)?.ToString() ?? $"HTTP {(int)response.Status}";
}
