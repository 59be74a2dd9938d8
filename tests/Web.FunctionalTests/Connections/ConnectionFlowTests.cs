using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Infrastructure.Persistence;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Web.FunctionalTests.Connections;

/// <summary>
/// The three consent flows end to end against a local fake of each platform's authorization, token and account-listing
/// endpoints: the person's browser is played by a client that does not follow redirects.
/// </summary>
public sealed class ConnectionFlowTests : FunctionalTest, IDisposable
{
    public const string ReturnUrl = "https://app.example.test/settings/connected";
    public const string AppSecret = "fb-app-secret";

    private readonly WireMockServer _fake = WireMockServer.Start();
    private readonly WebApplicationFactory<Program> _app;
    private readonly Guid _company = Guid.CreateVersion7();

    public ConnectionFlowTests(SchedulerFactory factory) : base(factory)
    {
        _app = factory.WithWebHostBuilder(builder => Configure(builder, _fake.Url!));
    }

    /// <summary>Every platform host pointed at the fake, apps configured, one allowed return address.</summary>
    internal static void Configure(IWebHostBuilder builder, string fake)
    {
        builder.UseSetting("Connections:RedirectBaseUrl", "https://scheduler.example.test");
        builder.UseSetting("Connections:AllowedReturnUrls:0", "https://app.example.test/settings/");
        foreach (var (platform, id, secret) in new[] { ("Facebook", "fb-app", AppSecret), ("Instagram", "ig-app", "ig-app-secret"), ("LinkedIn", "li-app", "li-app-secret") })
        {
            builder.UseSetting($"Platforms:{platform}:BaseUrl", fake);
            builder.UseSetting($"Platforms:{platform}:AppId", id);
            builder.UseSetting($"Platforms:{platform}:AppSecret", secret);
        }

        builder.UseSetting("Platforms:Facebook:DialogBaseUrl", fake);
        builder.UseSetting("Platforms:Instagram:AuthorizeBaseUrl", fake);
        builder.UseSetting("Platforms:Instagram:TokenBaseUrl", fake);
        builder.UseSetting("Platforms:Instagram:InstagramLoginBaseUrl", fake + "/iglogin");
        builder.UseSetting("Platforms:LinkedIn:OAuthBaseUrl", fake);
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Stop();
        _fake.Dispose();
    }

    private HttpClient Api(Guid? company = null)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", SchedulerFactory.Token(new Claim("company_id", (company ?? _company).ToString())));
        return client;
    }

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(Guid Id, Dictionary<string, string> Query)> StartAsync(string platform, string returnUrl = ReturnUrl)
    {
        var body = await AssertOkAsync(
            await Api().PostAsJsonAsync("/connections", new { platform, returnUrl }, Ct), HttpStatusCode.Created);
        var url = new Uri(body.GetProperty("authorizationUrl").GetString()!);
        var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        return (body.GetProperty("id").GetGuid(), query);
    }

    private async Task<Uri> CallbackAsync(string platform, string query)
    {
        var response = await Browser().GetAsync($"/connections/callback/{platform}?{query}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Expected 302, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return response.Headers.Location!;
    }

    private async Task<JsonElement> ConnectionAsync(Guid id) =>
        await AssertOkAsync(await Api().GetAsync($"/connections/{id}", Ct));

    private static string Proof(string token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), Encoding.UTF8.GetBytes(token)));

    private void Json(IRequestBuilder request, object body, int status = 200) =>
        _fake.Given(request).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBodyAsJson(body));

    /// <summary>Facebook's exchange, long-lived exchange, permissions and Pages for one code.</summary>
    private void FacebookGrants(string code, object[] pages, string[]? declined = null)
    {
        Json(Request.Create().WithPath("/v26.0/oauth/access_token").WithParam("code", code).WithParam("client_secret", AppSecret).UsingGet(),
            new { access_token = "short-" + code, token_type = "bearer", expires_in = 3600 });
        Json(Request.Create().WithPath("/v26.0/oauth/access_token").WithParam("grant_type", "fb_exchange_token").WithParam("fb_exchange_token", "short-" + code).UsingGet(),
            new { access_token = "long-" + code, token_type = "bearer", expires_in = 5183944 });
        var permissions = new[] { "pages_show_list", "pages_manage_posts", "instagram_basic", "instagram_content_publish" }
            .Select(p => new { permission = p, status = declined?.Contains(p) == true ? "declined" : "granted" });
        Json(Request.Create().WithPath("/v26.0/me/permissions").WithHeader("Authorization", "Bearer long-" + code)
                .WithParam("appsecret_proof", Proof("long-" + code)).UsingGet(),
            new { data = permissions });
        Json(Request.Create().WithPath("/v26.0/me/accounts").WithHeader("Authorization", "Bearer long-" + code)
                .WithParam("appsecret_proof", Proof("long-" + code)).UsingGet(),
            new { data = pages, paging = new { cursors = new { before = "a", after = "b" } } });
    }

    [Fact]
    public async Task Facebook_ConsentGranted_ListsPagesWithTheirInstagramAccounts_AndConnectsTheChosenOnes()
    {
        var (id, query) = await StartAsync("facebook");
        Assert.Equal("fb-app", query["client_id"]);
        Assert.Equal("https://scheduler.example.test/connections/callback/facebook", query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Contains("pages_manage_posts", query["scope"], StringComparison.Ordinal);
        Assert.Contains("instagram_content_publish", query["scope"], StringComparison.Ordinal);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.True(query["state"].Length >= 43, "the state carries 256 random bits");
        FacebookGrants("fb-code-1", [
            new { id = "page-1", name = "Bakery", access_token = "page-token-1", tasks = new[] { "CREATE_CONTENT", "MANAGE" }, instagram_business_account = new { id = "ig-1", username = "bakery" } },
            new { id = "page-2", name = "Bakery Outlet", access_token = "page-token-2", tasks = new[] { "CREATE_CONTENT" } },
            new { id = "page-3", name = "Somebody Else's", access_token = "page-token-3", tasks = new[] { "ANALYZE" } },
        ]);

        var back = await CallbackAsync("facebook", $"code=fb-code-1&state={query["state"]}");

        Assert.Equal($"{ReturnUrl}?connectionId={id}", back.ToString());
        var exchange = _fake.LogEntries.Single(e => e.RequestMessage.Query!.TryGetValue("code", out var c) && c.Contains("fb-code-1"));
        var verifier = exchange.RequestMessage.Query!["code_verifier"].Single();
        Assert.Equal(query["code_challenge"], Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        var connection = await ConnectionAsync(id);
        Assert.Equal("authorized", connection.GetProperty("status").GetString());
        var accounts = connection.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(
            ["facebook page-1 Bakery True", "facebook page-2 Bakery Outlet True", "facebook page-3 Somebody Else's False", "instagram ig-1 @bakery True"],
            accounts.Select(a => $"{a.GetProperty("platform").GetString()} {a.GetProperty("externalAccountId").GetString()} {a.GetProperty("displayName").GetString()} {a.GetProperty("canConnect").GetBoolean()}").Order().ToArray());
        Assert.Contains("cannot create content", accounts.Single(a => a.GetProperty("externalAccountId").GetString() == "page-3").GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token", connection.GetRawText().Replace("tokenExpiresAt", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        var connected = await AssertOkAsync(await Api().PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "page-1", "ig-1" } }, Ct));

        var created = connected.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(["facebook page-1 facebook", "instagram ig-1 facebook"],
            created.Select(a => $"{a.GetProperty("platform").GetString()} {a.GetProperty("externalAccountId").GetString()} {a.GetProperty("login").GetString()}").ToArray());
        Assert.Equal("page-token-1", await StoredTokenAsync("page-1"));
        Assert.Equal("page-token-1", await StoredTokenAsync("ig-1"));
        Assert.Equal(JsonValueKind.Null, created[0].GetProperty("tokenExpiresAt").ValueKind); // Page tokens from a long-lived user token do not expire
    }

    [Fact]
    public async Task Facebook_APageWithoutALinkedInstagramAccount_IsOnlyAFacebookCandidate_AndADeclinedPermissionIsNamed()
    {
        var (id, query) = await StartAsync("facebook");
        FacebookGrants("fb-code-2", [new { id = "page-9", name = "No Instagram", access_token = "page-token-9", tasks = new[] { "CREATE_CONTENT" } }],
            declined: ["pages_manage_posts"]);

        await CallbackAsync("facebook", $"code=fb-code-2&state={query["state"]}");

        var account = Assert.Single((await ConnectionAsync(id)).GetProperty("accounts").EnumerateArray());
        Assert.Equal("facebook", account.GetProperty("platform").GetString());
        Assert.False(account.GetProperty("canConnect").GetBoolean());
        Assert.Contains("pages_manage_posts", account.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var refused = await AssertProblemAsync(
            await Api().PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "page-9" } }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("pages_manage_posts", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await AccountsAsync());
    }

    [Fact]
    public async Task Reconnecting_KeepsTheAccountsId_WithTheFreshToken_AndMakesItActiveAgain()
    {
        var (first, q1) = await StartAsync("facebook");
        FacebookGrants("fb-code-3", [new { id = "page-5", name = "Cafe", access_token = "old-page-token", tasks = new[] { "CREATE_CONTENT" } }]);
        await CallbackAsync("facebook", $"code=fb-code-3&state={q1["state"]}");
        var accountId = (await AssertOkAsync(await Api().PostAsJsonAsync($"/connections/{first}/accounts", new { externalAccountIds = new[] { "page-5" } }, Ct)))
            .GetProperty("accounts")[0].GetProperty("id").GetGuid();
        await ExecuteSqlAsync("UPDATE social_accounts SET status = 'needs_reconnect', status_reason = 'revoked' WHERE external_account_id = 'page-5'");

        var (second, q2) = await StartAsync("facebook");
        FacebookGrants("fb-code-4", [new { id = "page-5", name = "Cafe & Co", access_token = "new-page-token", tasks = new[] { "CREATE_CONTENT" } }]);
        await CallbackAsync("facebook", $"code=fb-code-4&state={q2["state"]}");
        Assert.Equal(accountId, (await ConnectionAsync(second)).GetProperty("accounts")[0].GetProperty("socialAccountId").GetGuid());
        var again = (await AssertOkAsync(await Api().PostAsJsonAsync($"/connections/{second}/accounts", new { externalAccountIds = new[] { "page-5" } }, Ct)))
            .GetProperty("accounts")[0];

        Assert.Equal(accountId, again.GetProperty("id").GetGuid());
        Assert.Equal("active", again.GetProperty("status").GetString());
        Assert.Equal("Cafe & Co", again.GetProperty("displayName").GetString());
        Assert.Equal("new-page-token", await StoredTokenAsync("page-5"));
        Assert.Single(await AccountsAsync());
    }

    [Fact]
    public async Task ConsentDeclined_RedirectsWithTheErrorCode_AndNothingCanBeConnected()
    {
        var (id, query) = await StartAsync("facebook");

        var back = await CallbackAsync("facebook", $"error=access_denied&error_reason=user_denied&error_description=Permissions+error&state={query["state"]}");

        Assert.Equal($"{ReturnUrl}?connectionId={id}&error=access_denied", back.ToString());
        var connection = await ConnectionAsync(id);
        Assert.Equal("declined", connection.GetProperty("status").GetString());
        Assert.Equal("Permissions error", connection.GetProperty("errorDescription").GetString());
        Assert.Empty(_fake.LogEntries); // nothing was exchanged
        await AssertProblemAsync(
            await Api().PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "page-1" } }, Ct), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AForgedState_Is400_WithoutARedirect()
    {
        await StartAsync("facebook");

        var forged = await Browser().GetAsync("/connections/callback/facebook?code=x&state=" + new string('A', 43), Ct);
        var missing = await Browser().GetAsync("/connections/callback/facebook?code=x", Ct);

        var problem = await AssertProblemAsync(forged, HttpStatusCode.BadRequest);
        Assert.Contains("not one this service issued", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.Null(forged.Headers.Location);
        Assert.Empty(_fake.LogEntries);
    }

    [Fact]
    public async Task AStateOfAnotherPlatform_IsNotAccepted()
    {
        var (_, query) = await StartAsync("linkedin");

        await AssertProblemAsync(await Browser().GetAsync($"/connections/callback/facebook?code=x&state={query["state"]}", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AReusedState_Is400_AndTheCodeIsExchangedOnce()
    {
        var (_, query) = await StartAsync("facebook");
        FacebookGrants("fb-code-5", [new { id = "page-6", name = "Once", access_token = "t", tasks = new[] { "CREATE_CONTENT" } }]);
        await CallbackAsync("facebook", $"code=fb-code-5&state={query["state"]}");

        var replay = await Browser().GetAsync($"/connections/callback/facebook?code=fb-code-5&state={query["state"]}", Ct);

        var problem = await AssertProblemAsync(replay, HttpStatusCode.BadRequest);
        Assert.Contains("already completed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(_fake.LogEntries, e => e.RequestMessage.Query!.TryGetValue("code", out var c) && c.Contains("fb-code-5"));
    }

    [Fact]
    public async Task RacingCallbacksWithOneState_ExchangeTheCodeOnce()
    {
        var (id, query) = await StartAsync("facebook");
        FacebookGrants("fb-code-6", [new { id = "page-7", name = "Race", access_token = "t", tasks = new[] { "CREATE_CONTENT" } }]);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Browser().GetAsync($"/connections/callback/facebook?code=fb-code-6&state={query["state"]}", Ct)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Redirect), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        Assert.Single(_fake.LogEntries, e => e.RequestMessage.Query!.TryGetValue("code", out var c) && c.Contains("fb-code-6"));
        Assert.Equal("authorized", (await ConnectionAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnExpiredState_RedirectsWithExpired_AndExchangesNothing()
    {
        var (id, query) = await StartAsync("facebook");
        await ExecuteSqlAsync($"UPDATE connections SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = UNHEX(REPLACE('{id}', '-', ''))");

        var back = await CallbackAsync("facebook", $"code=fb-code-7&state={query["state"]}");

        Assert.Equal($"{ReturnUrl}?connectionId={id}&error=expired", back.ToString());
        Assert.Equal("failed", (await ConnectionAsync(id)).GetProperty("status").GetString());
        Assert.Empty(_fake.LogEntries);
    }

    [Fact]
    public async Task ACodeAlreadyUsed_RedirectsWithExchangeFailed_SayingWhatThePlatformSaid()
    {
        var (id, query) = await StartAsync("facebook");
        Json(Request.Create().WithPath("/v26.0/oauth/access_token").WithParam("code", "fb-used").UsingGet(),
            new { error = new { message = "This authorization code has been used.", type = "OAuthException", code = 100, error_subcode = 36009 } }, 400);

        var back = await CallbackAsync("facebook", $"code=fb-used&state={query["state"]}");

        Assert.Equal($"{ReturnUrl}?connectionId={id}&error=exchange_failed", back.ToString());
        var connection = await ConnectionAsync(id);
        Assert.Equal("failed", connection.GetProperty("status").GetString());
        Assert.Contains("This authorization code has been used.", connection.GetProperty("errorDescription").GetString(), StringComparison.Ordinal);
        Assert.Empty(connection.GetProperty("accounts").EnumerateArray());
    }

    [Theory]
    [InlineData("https://evil.example.test/settings/connected")]
    [InlineData("https://app.example.test/other")]
    [InlineData("https://app.example.test/settings/../admin")]
    [InlineData("https://user@app.example.test/settings/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/settings/connected")]
    public async Task AReturnUrlNotOnTheAllowList_Is400_AndStartsNothing(string returnUrl)
    {
        var response = await Api().PostAsJsonAsync("/connections", new { platform = "facebook", returnUrl }, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("returnUrl", out _), problem.GetRawText());
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().Connections.CountAsync(Ct));
    }

    [Fact]
    public async Task TheServicesOwnConnectPage_IsAlwaysAnAllowedReturnUrl()
    {
        var (_, query) = await StartAsync("facebook", "https://scheduler.example.test/connect");

        Assert.NotEmpty(query["state"]);
    }

    [Fact]
    public async Task InstagramLogin_ExchangesTheCode_ForASixtyDayToken_OfTheProfessionalAccount()
    {
        var (id, query) = await StartAsync("instagram");
        Assert.Equal("ig-app", query["client_id"]);
        Assert.Equal("instagram_business_basic,instagram_business_content_publish", query["scope"]);
        Assert.False(query.ContainsKey("code_challenge"));
        Json(Request.Create().WithPath("/oauth/access_token").UsingPost().WithBody(new RegexMatcher("code=ig-code-1")),
            new { data = new[] { new { access_token = "ig-short", user_id = "17841400000000001", permissions = "instagram_business_basic,instagram_business_content_publish" } } });
        Json(Request.Create().WithPath("/iglogin/access_token").WithParam("grant_type", "ig_exchange_token").WithParam("access_token", "ig-short").UsingGet(),
            new { access_token = "ig-long", token_type = "bearer", expires_in = 5184000 });
        Json(Request.Create().WithPath("/iglogin/v26.0/me").WithHeader("Authorization", "Bearer ig-long").UsingGet(),
            new { user_id = "17841400000000001", username = "studio", account_type = "BUSINESS", id = "app-scoped-1" });

        await CallbackAsync("instagram", $"code=ig-code-1&state={query["state"]}");
        var account = Assert.Single((await ConnectionAsync(id)).GetProperty("accounts").EnumerateArray());
        var connected = (await AssertOkAsync(await Api().PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "17841400000000001" } }, Ct)))
            .GetProperty("accounts")[0];

        Assert.Equal("@studio", account.GetProperty("displayName").GetString());
        Assert.Equal("instagram", connected.GetProperty("login").GetString());
        var expires = connected.GetProperty("tokenExpiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(59.9), TimeSpan.FromDays(60.1));
        Assert.Equal("ig-long", await StoredTokenAsync("17841400000000001"));
    }

    [Fact]
    public async Task LinkedIn_AMemberWithNoOrganizations_IsTheOnlyCandidate_WithItsRefreshToken()
    {
        var (id, query) = await StartAsync("linkedin");
        Assert.Equal("openid profile w_member_social w_organization_social r_organization_admin", query["scope"]);
        LinkedInGrants("li-code-1", "li-token-1", "abc123", organizations: []);

        await CallbackAsync("linkedin", $"code=li-code-1&state={query["state"]}");
        var account = Assert.Single((await ConnectionAsync(id)).GetProperty("accounts").EnumerateArray());
        Assert.Equal("urn:li:person:abc123", account.GetProperty("externalAccountId").GetString());
        Assert.Equal("Ada Lovelace", account.GetProperty("displayName").GetString());
        await AssertOkAsync(await Api().PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "urn:li:person:abc123" } }, Ct));

        await using var scope = _app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().SocialAccounts.SingleAsync(Ct);
        Assert.True(scope.ServiceProvider.GetRequiredService<ITokenProtector>().TryUnprotect(stored.RefreshTokenEncrypted!, out var refresh));
        Assert.Equal("li-refresh-li-token-1", refresh);
        Assert.InRange(stored.RefreshTokenExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(364.9), TimeSpan.FromDays(365.1));
    }

    [Fact]
    public async Task LinkedIn_ListsTheOrganizationsTheMemberAdministers()
    {
        var (id, query) = await StartAsync("linkedin");
        LinkedInGrants("li-code-2", "li-token-2", "m2", organizations: [("2414183", "Acme Corp"), ("9000001", "Acme Labs")]);

        await CallbackAsync("linkedin", $"code=li-code-2&state={query["state"]}");

        var accounts = (await ConnectionAsync(id)).GetProperty("accounts").EnumerateArray()
            .Select(a => $"{a.GetProperty("externalAccountId").GetString()} {a.GetProperty("displayName").GetString()}").Order().ToArray();
        Assert.Equal(["urn:li:organization:2414183 Acme Corp", "urn:li:organization:9000001 Acme Labs", "urn:li:person:m2 Ada Lovelace"], accounts);
        var acl = _fake.LogEntries.Single(e => e.RequestMessage.Path == "/rest/organizationAcls");
        Assert.Equal("202606", acl.RequestMessage.Headers!["LinkedIn-Version"].Single());
        Assert.Equal("ADMINISTRATOR", acl.RequestMessage.Query!["role"].Single());
    }

    [Fact]
    public async Task ANotConfiguredPlatform_Is501_NamingTheMissingSettings()
    {
        using var bare = Factory.WithWebHostBuilder(builder =>
        {
            Configure(builder, _fake.Url!);
            builder.UseSetting("Platforms:LinkedIn:AppSecret", string.Empty);
        });
        var client = bare.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SchedulerFactory.Token(new Claim("company_id", _company.ToString())));

        var problem = await AssertProblemAsync(
            await client.PostAsJsonAsync("/connections", new { platform = "linkedin", returnUrl = ReturnUrl }, Ct), HttpStatusCode.NotImplemented);

        Assert.Contains("Platforms:LinkedIn:AppSecret", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutARedirectBaseUrl_NoFlowStarts()
    {
        using var bare = Factory.WithWebHostBuilder(builder =>
        {
            Configure(builder, _fake.Url!);
            builder.UseSetting("Connections:RedirectBaseUrl", string.Empty);
        });
        var client = bare.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SchedulerFactory.Token(new Claim("company_id", _company.ToString())));

        var response = await client.PostAsJsonAsync("/connections", new { platform = "facebook", returnUrl = "https://app.example.test/settings/x" }, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotImplemented);
        Assert.Contains("Connections:RedirectBaseUrl", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCompanysConnection_IsNotFound_AndCannotBeUsed()
    {
        var (id, query) = await StartAsync("facebook");
        FacebookGrants("fb-code-8", [new { id = "page-8", name = "Mine", access_token = "t", tasks = new[] { "CREATE_CONTENT" } }]);
        await CallbackAsync("facebook", $"code=fb-code-8&state={query["state"]}");
        var other = Api(Guid.CreateVersion7());

        await AssertProblemAsync(await other.GetAsync($"/connections/{id}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await other.PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "page-8" } }, Ct), HttpStatusCode.NotFound);
        Assert.Empty(await AccountsAsync());
    }

    [Fact]
    public async Task AnAccountTheFlowDidNotFind_Is400_AndNothingIsConnected()
    {
        var (id, query) = await StartAsync("facebook");
        FacebookGrants("fb-code-9", [new { id = "page-10", name = "Listed", access_token = "t", tasks = new[] { "CREATE_CONTENT" } }]);
        await CallbackAsync("facebook", $"code=fb-code-9&state={query["state"]}");

        var problem = await AssertProblemAsync(
            await Api().PostAsJsonAsync($"/connections/{id}/accounts", new { externalAccountIds = new[] { "page-10", "page-not-listed" } }, Ct), HttpStatusCode.BadRequest);

        Assert.Contains("page-not-listed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await AccountsAsync());
    }

    private void LinkedInGrants(string code, string token, string member, (string Id, string Name)[] organizations)
    {
        Json(Request.Create().WithPath("/oauth/v2/accessToken").UsingPost().WithBody(new RegexMatcher($"code={code}(&|$)")),
            new
            {
                access_token = token, expires_in = 5184000, refresh_token = "li-refresh-" + token, refresh_token_expires_in = 31536000,
                scope = "openid,profile,w_member_social,w_organization_social,r_organization_admin",
            });
        Json(Request.Create().WithPath("/v2/userinfo").WithHeader("Authorization", "Bearer " + token).UsingGet(),
            new { sub = member, name = "Ada Lovelace", given_name = "Ada" });
        Json(Request.Create().WithPath("/rest/organizationAcls").WithParam("q", "roleAssignee").WithHeader("Authorization", "Bearer " + token).UsingGet(),
            new
            {
                elements = organizations.Select(o => new { organization = "urn:li:organization:" + o.Id, role = "ADMINISTRATOR", state = "APPROVED", roleAssignee = "urn:li:person:" + member }),
                paging = new { count = 50, start = 0 },
            });
        foreach (var (orgId, name) in organizations)
        {
            Json(Request.Create().WithPath("/rest/organizations/" + orgId).UsingGet(), new { id = long.Parse(orgId, System.Globalization.CultureInfo.InvariantCulture), localizedName = name });
        }
    }

    private async Task<string> StoredTokenAsync(string externalId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().SocialAccounts
            .SingleAsync(a => a.ExternalAccountId == externalId, Ct);
        Assert.True(scope.ServiceProvider.GetRequiredService<ITokenProtector>().TryUnprotect(account.AccessTokenEncrypted, out var token));
        return token;
    }

    private async Task<List<JsonElement>> AccountsAsync() =>
        (await AssertOkAsync(await Api().GetAsync("/social-accounts", Ct))).EnumerateArray().ToList();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
