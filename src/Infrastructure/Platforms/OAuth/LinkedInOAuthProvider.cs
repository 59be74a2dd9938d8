using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms.OAuth;

/// <summary>
/// LinkedIn's 3-legged flow: the authorization page, the code exchanged at <c>/oauth/v2/accessToken</c> (a 60-day
/// token, and a refresh token for apps LinkedIn grants them), the member from <c>/v2/userinfo</c> (OpenID), and the
/// organizations the member administers from <c>/rest/organizationAcls</c> (when the app has
/// <c>r_organization_admin</c>). PKCE is LinkedIn's for native apps only; a web app authenticates with its secret.
/// </summary>
internal sealed class LinkedInOAuthProvider(IHttpClientFactory http, IOptionsMonitor<LinkedInOptions> options, TimeProvider clock)
    : IOAuthProvider
{
    private const string Platform = "LinkedIn";
    private const int MaxOrganizations = 50;

    public AccountLogin Login => AccountLogin.LinkedIn;

    public IReadOnlyList<string> MissingSettings => options.CurrentValue.MissingAppSettings(LinkedInOptions.Section);

    public bool UsesPkce => false;

    public string AuthorizationUrl(string state, string redirectUri, string? codeChallenge)
    {
        var o = options.CurrentValue;
        return $"{o.OAuthBaseUrl.TrimEnd('/')}/oauth/v2/authorization?" + OAuthHttp.Query(
            ("response_type", "code"),
            ("client_id", o.AppId),
            ("redirect_uri", redirectUri),
            ("state", state),
            ("scope", string.Join(' ', o.EffectiveScopes)));
    }

    public async Task<IReadOnlyList<AuthorizedAccount>> ExchangeAsync(
        string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        var client = http.CreateClient(OAuthHttp.LinkedInClient);
        var now = clock.GetUtcNow();
        var token = await OAuthHttp.SendAsync(
            client,
            OAuthHttp.PostForm($"{o.OAuthBaseUrl.TrimEnd('/')}/oauth/v2/accessToken", new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["client_id"] = o.AppId!,
                ["client_secret"] = o.AppSecret!,
            }),
            Platform, Refusal, cancellationToken);
        var accessToken = token.Required("access_token", Platform);
        var expiresAt = token.Number("expires_in") is { } seconds ? now.AddSeconds(seconds) : (DateTimeOffset?)null;
        var refreshToken = token.Text("refresh_token");
        var refreshExpiresAt = token.Number("refresh_token_expires_in") is { } refreshSeconds ? now.AddSeconds(refreshSeconds) : (DateTimeOffset?)null;
        var scopes = Scopes(token.Text("scope")) ?? o.EffectiveScopes.ToHashSet(StringComparer.Ordinal);

        var api = o.BaseUrl.TrimEnd('/');
        var me = await OAuthHttp.SendAsync(client, OAuthHttp.Get($"{api}/v2/userinfo", accessToken), Platform, Refusal, cancellationToken);
        var member = new AuthorizedAccount(
            Domain.SocialAccounts.Platform.LinkedIn,
            "urn:li:person:" + me.Required("sub", Platform),
            me.Text("name") ?? me.Text("given_name") ?? "LinkedIn member",
            accessToken, expiresAt, refreshToken, refreshExpiresAt,
            Missing(scopes, "w_member_social"));
        var accounts = new List<AuthorizedAccount> { member };
        if (!scopes.Contains("r_organization_admin") && !scopes.Contains("rw_organization_admin"))
        {
            return accounts;
        }

        var acls = await OAuthHttp.SendAsync(
            client,
            Rest($"{api}/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count={MaxOrganizations}", accessToken, o.Version),
            Platform, Refusal, cancellationToken);
        var organizations = acls.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array
            ? elements.EnumerateArray().Select(e => e.Text("organization") ?? e.Text("organizationTarget")).OfType<string>()
                .Where(urn => urn.StartsWith("urn:li:organization:", StringComparison.Ordinal)).Distinct().Take(MaxOrganizations).ToList()
            : [];
        foreach (var urn in organizations)
        {
            var organization = await OAuthHttp.SendAsync(
                client, Rest($"{api}/rest/organizations/{urn["urn:li:organization:".Length..]}", accessToken, o.Version), Platform, Refusal, cancellationToken);
            accounts.Add(new AuthorizedAccount(
                Domain.SocialAccounts.Platform.LinkedIn, urn, organization.Text("localizedName") ?? urn,
                accessToken, expiresAt, refreshToken, refreshExpiresAt, Missing(scopes, "w_organization_social")));
        }

        return accounts;
    }

    private static HttpRequestMessage Rest(string url, string token, string version)
    {
        var request = OAuthHttp.Get(url, token);
        request.Headers.Add("LinkedIn-Version", version);
        request.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        return request;
    }

    private static HashSet<string>? Scopes(string? scope) =>
        string.IsNullOrWhiteSpace(scope)
            ? null
            : scope.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static string? Missing(HashSet<string> scopes, string scope) =>
        scopes.Contains(scope) ? null : $"The permission {scope} was not granted to this app: add the product that gives it, then connect again.";

    private static string Refusal(PlatformResponse response)
    {
        try
        {
            var body = response.Json();
            return body.Text("error_description") ?? body.Text("message") ?? body.Text("error") ?? $"HTTP {(int)response.Status}";
        }
        catch (JsonException)
        {
            return $"HTTP {(int)response.Status}";
        }
    }
}
