using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Web.FunctionalTests.Connections;

/// <summary>
/// <c>POST /social-accounts</c> in live mode asks the platform about the pasted token before saving it: the platform
/// is a local fake of Graph <c>debug_token</c>, Instagram's <c>/me</c> and LinkedIn's <c>introspectToken</c>.
/// </summary>
public sealed class PastedTokenTests : FunctionalTest, IDisposable
{
    private readonly WireMockServer _fake = WireMockServer.Start();
    private readonly WebApplicationFactory<Program> _app;

    public PastedTokenTests(SchedulerFactory factory) : base(factory)
    {
        _app = factory.WithWebHostBuilder(builder =>
        {
            ConnectionFlowTests.Configure(builder, _fake.Url!);
            builder.UseSetting("Publishing:Mode", "Live");
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Stop();
        _fake.Dispose();
    }

    private HttpClient Api(WebApplicationFactory<Program>? app = null)
    {
        var client = (app ?? _app).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", SchedulerFactory.Token(new Claim("company_id", Guid.CreateVersion7().ToString())));
        return client;
    }

    private void DebugToken(string token, object data) =>
        _fake.Given(Request.Create().WithPath("/v26.0/debug_token").WithParam("input_token", token)
                .WithParam("access_token", "fb-app|" + ConnectionFlowTests.AppSecret).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(new { data }));

    private static Task<HttpResponseMessage> PasteAsync(HttpClient client, string platform, string externalId, string token, string? login = null) =>
        client.PostAsJsonAsync("/social-accounts", new { platform, externalAccountId = externalId, displayName = "Pasted", accessToken = token, login }, Ct);

    private async Task AssertRefusedAsync(HttpResponseMessage response, string naming)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("accessToken")[0].GetString();
        Assert.Contains(naming, message, StringComparison.Ordinal);
        Assert.Equal(0, (await ReadJsonAsync(await Api().GetAsync("/social-accounts", Ct))).GetArrayLength());
    }

    [Fact]
    public async Task AFacebookUserToken_IsRefused_AsNotAPageToken()
    {
        DebugToken("user-token", new { app_id = "fb-app", type = "USER", is_valid = true, expires_at = 1893456000, scopes = new[] { "pages_manage_posts" }, user_id = "u1" });

        await AssertRefusedAsync(await PasteAsync(Api(), "facebook", "page-1", "user-token"), "not a Page token");
    }

    [Fact]
    public async Task APageTokenWithoutPagesManagePosts_IsRefused_NamingThePermission()
    {
        DebugToken("weak-page-token", new { app_id = "fb-app", type = "PAGE", is_valid = true, expires_at = 0, profile_id = "page-1", scopes = new[] { "pages_show_list" } });

        await AssertRefusedAsync(await PasteAsync(Api(), "facebook", "page-1", "weak-page-token"), "pages_manage_posts");
    }

    [Fact]
    public async Task AnotherPagesToken_IsRefused()
    {
        DebugToken("other-page-token", new { app_id = "fb-app", type = "PAGE", is_valid = true, expires_at = 0, profile_id = "page-2", scopes = new[] { "pages_manage_posts" } });

        await AssertRefusedAsync(await PasteAsync(Api(), "facebook", "page-1", "other-page-token"), "for the Page page-2, not for page-1");
    }

    [Fact]
    public async Task AnInvalidToken_IsRefused_SayingWhy()
    {
        DebugToken("dead-token", new { app_id = "fb-app", type = "PAGE", is_valid = false, error = new { code = 190, message = "Error validating access token: The session has been invalidated." } });

        await AssertRefusedAsync(await PasteAsync(Api(), "facebook", "page-1", "dead-token"), "The session has been invalidated");
    }

    [Fact]
    public async Task AGoodPageToken_IsSaved_WithTheExpiryThePlatformGives()
    {
        DebugToken("good-page-token", new { app_id = "fb-app", type = "PAGE", is_valid = true, expires_at = 0, profile_id = "page-1", scopes = new[] { "pages_manage_posts", "pages_show_list" } });

        var account = await AssertOkAsync(await PasteAsync(Api(), "facebook", "page-1", "good-page-token"), HttpStatusCode.Created);

        Assert.Equal(JsonValueKind.Null, account.GetProperty("tokenExpiresAt").ValueKind);
    }

    [Fact]
    public async Task AnInstagramTokenGrantedForOtherAccounts_IsRefused_NamingTheAccount()
    {
        DebugToken("ig-fb-token", new
        {
            app_id = "fb-app", type = "USER", is_valid = true, expires_at = 1893456000,
            scopes = new[] { "instagram_basic", "instagram_content_publish" },
            granular_scopes = new object[] { new { scope = "instagram_content_publish", target_ids = new[] { "ig-other" } } },
        });

        await AssertRefusedAsync(await PasteAsync(Api(), "instagram", "ig-1", "ig-fb-token"), "not for ig-1");
    }

    [Fact]
    public async Task AnInstagramTokenWithThePermission_IsSaved_WithItsExpiry()
    {
        DebugToken("ig-fb-good", new
        {
            app_id = "fb-app", type = "USER", is_valid = true, expires_at = 1893456000,
            scopes = new[] { "instagram_basic", "instagram_content_publish" },
            granular_scopes = new object[] { new { scope = "instagram_content_publish", target_ids = new[] { "ig-1" } } },
        });

        var account = await AssertOkAsync(await PasteAsync(Api(), "instagram", "ig-1", "ig-fb-good"), HttpStatusCode.Created);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), account.GetProperty("tokenExpiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AnInstagramLoginTokenOfAnotherAccount_IsRefused()
    {
        _fake.Given(Request.Create().WithPath("/iglogin/v26.0/me").WithHeader("Authorization", "Bearer igl-token").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(new { user_id = "17841400000000002", username = "other" }));

        await AssertRefusedAsync(await PasteAsync(Api(), "instagram", "17841400000000001", "igl-token", login: "instagram"), "not for 17841400000000001");
    }

    [Fact]
    public async Task ALinkedInTokenWithoutWMemberSocial_IsRefused_NamingThePermission()
    {
        Introspect("li-weak", new { active = true, status = "active", expires_at = 1893456000, scope = "openid,profile" });

        await AssertRefusedAsync(await PasteAsync(Api(), "linkedin", "urn:li:person:abc", "li-weak"), "w_member_social");
    }

    [Fact]
    public async Task ARevokedLinkedInToken_IsRefused()
    {
        Introspect("li-revoked", new { active = false, status = "revoked" });

        await AssertRefusedAsync(await PasteAsync(Api(), "linkedin", "urn:li:organization:42", "li-revoked"), "not active (revoked)");
    }

    [Fact]
    public async Task AGoodLinkedInToken_IsSaved_WithTheExpiryFromIntrospection_AfterItsMemberIsChecked()
    {
        Introspect("li-good", new { active = true, status = "active", expires_at = 1893456000, scope = "openid,profile,w_member_social" });
        _fake.Given(Request.Create().WithPath("/v2/userinfo").WithHeader("Authorization", "Bearer li-good").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(new { sub = "abc", name = "Ada" }));

        var account = await AssertOkAsync(await PasteAsync(Api(), "linkedin", "urn:li:person:abc", "li-good"), HttpStatusCode.Created);
        var mismatch = await PasteAsync(Api(), "linkedin", "urn:li:person:xyz", "li-good");

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), account.GetProperty("tokenExpiresAt").GetDateTimeOffset());
        await AssertRefusedAsync(mismatch, "urn:li:person:abc's, not urn:li:person:xyz's");
    }

    [Fact]
    public async Task APlatformThatCannotAnswer_Is503_AndNothingIsSaved()
    {
        _fake.Given(Request.Create().WithPath("/v26.0/debug_token").UsingGet()).RespondWith(Response.Create().WithStatusCode(500));

        var problem = await AssertProblemAsync(await PasteAsync(Api(), "facebook", "page-1", "any"), HttpStatusCode.ServiceUnavailable);

        Assert.Contains("Facebook", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurnedOff_TheTokenIsTakenOnTrust_AndThePlatformIsNotAsked()
    {
        using var offline = _app.WithWebHostBuilder(builder => builder.UseSetting("Accounts:VerifyPastedTokens", "false"));

        await AssertOkAsync(await PasteAsync(Api(offline), "facebook", "page-1", "anything"), HttpStatusCode.Created);

        Assert.Empty(_fake.LogEntries);
    }

    private void Introspect(string token, object answer) =>
        _fake.Given(Request.Create().WithPath("/oauth/v2/introspectToken").UsingPost()
                .WithBody(new RegexMatcher($"token={token}(&|$)")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(answer));
}
