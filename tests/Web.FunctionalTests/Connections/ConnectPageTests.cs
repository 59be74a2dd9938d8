using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Web.FunctionalTests.Connections;

/// <summary>
/// A person connects Facebook Pages from <c>/connect</c> in a real browser (Debian's Chromium driven by Playwright):
/// the page starts the flow, the platform's consent page (a local fake) sends the browser back through the callback,
/// and the page lists the accounts and connects the chosen ones.
/// </summary>
public sealed class ConnectPageTests : FunctionalTest, IDisposable
{
    private readonly WireMockServer _fake = WireMockServer.Start();
    private readonly WebApplicationFactory<Program> _app;
    private readonly string _baseUrl;

    public ConnectPageTests(SchedulerFactory factory) : base(factory)
    {
        (_app, _baseUrl) = BrowserHost.Start(factory, (builder, baseUrl) =>
        {
            ConnectionFlowTests.Configure(builder, _fake.Url!);
            builder.UseSetting("Connections:RedirectBaseUrl", baseUrl);
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Stop();
        _fake.Dispose();
    }

    [Fact]
    public async Task APerson_ConnectsPagesFromTheConnectPage_ThroughTheConsentScreen()
    {
        Assert.True(File.Exists(BrowserHost.Chromium), $"{BrowserHost.Chromium} is installed by build/test.sh");
        var company = Guid.CreateVersion7();
        ConsentPage();
        FacebookGrants();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserHost.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await ToConsentScreenAsync(page, company);
        await page.ClickAsync("#allow"); // the person consents on the platform's page
        await page.WaitForSelectorAsync("#candidates:not([hidden])");

        var rows = await page.Locator("#candidate-rows tr").AllInnerTextsAsync();
        Assert.Equal(3, rows.Count);
        Assert.Contains(rows, r => r.Contains("Bakery", StringComparison.Ordinal) && r.Contains("facebook", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("@bakery", StringComparison.Ordinal) && r.Contains("instagram", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("cannot create content", StringComparison.Ordinal));
        Assert.True(await page.IsDisabledAsync("input[aria-label=\"Somebody Else's\"]"));
        await page.UncheckAsync("input[aria-label=\"@bakery\"]");
        await page.ClickAsync("#connect-selected");
        await page.WaitForSelectorAsync("#status.good");
        Directory.CreateDirectory("screenshots");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "connect.png"), FullPage = true });

        Assert.Equal("Connected 1 account.", await page.TextContentAsync("#status"));
        Assert.Equal(["Bakery"], (await page.Locator("#accounts tr td:first-child").AllInnerTextsAsync()).ToArray());
        using var api = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SchedulerFactory.Token(new Claim("company_id", company.ToString())));
        var accounts = JsonDocument.Parse(await api.GetStringAsync("/social-accounts", Ct)).RootElement;
        Assert.Equal("page-1", Assert.Single(accounts.EnumerateArray()).GetProperty("externalAccountId").GetString());
    }

    [Fact]
    public async Task ADeclinedConsent_IsSaidOnThePage()
    {
        var company = Guid.CreateVersion7();
        ConsentPage();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserHost.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await ToConsentScreenAsync(page, company);
        await page.ClickAsync("#deny");
        await page.WaitForSelectorAsync("#status.bad");

        Assert.Equal("You declined on the consent screen: nothing was connected.", await page.TextContentAsync("#status"));
        Assert.DoesNotContain(_fake.LogEntries, e => e.RequestMessage.Path.Contains("access_token", StringComparison.Ordinal));
    }

    /// <summary>The person opens /connect, gives the page a company token and picks Facebook: the platform's page opens.</summary>
    private async Task ToConsentScreenAsync(IPage page, Guid company)
    {
        await page.GotoAsync($"{_baseUrl}/connect");
        await page.FillAsync("#token", SchedulerFactory.Token(new Claim("company_id", company.ToString())));
        await page.ClickAsync("#login button");
        await page.ClickAsync("[data-platform=facebook]");
        await page.WaitForURLAsync($"{_fake.Url}/**");
    }

    /// <summary>The Login dialog: a page whose links send the browser back to the redirect URI, as consenting or declining does.</summary>
    private void ConsentPage() =>
        _fake.Given(Request.Create().WithPath("/v26.0/dialog/oauth").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/html; charset=utf-8").WithTransformer().WithBody(
                """
                <html><body><h1>Allow Scheduler to manage your Pages?</h1>
                <a id="allow" href="{{{request.query.redirect_uri}}}?code=ui-code&state={{{request.query.state}}}">Allow</a>
                <a id="deny" href="{{{request.query.redirect_uri}}}?error=access_denied&error_reason=user_denied&state={{{request.query.state}}}">Not now</a>
                </body></html>
                """));

    private void FacebookGrants()
    {
        Json(Request.Create().WithPath("/v26.0/oauth/access_token").WithParam("code", "ui-code").UsingGet(), new { access_token = "short-ui", expires_in = 3600 });
        Json(Request.Create().WithPath("/v26.0/oauth/access_token").WithParam("fb_exchange_token", "short-ui").UsingGet(), new { access_token = "long-ui", expires_in = 5183944 });
        Json(Request.Create().WithPath("/v26.0/me/permissions").UsingGet(), new { data = new[] { new { permission = "pages_manage_posts", status = "granted" }, new { permission = "instagram_content_publish", status = "granted" } } });
        Json(Request.Create().WithPath("/v26.0/me/accounts").UsingGet(), new
        {
            data = new object[]
            {
                new { id = "page-1", name = "Bakery", access_token = "page-token-1", tasks = new[] { "CREATE_CONTENT" }, instagram_business_account = new { id = "ig-1", username = "bakery" } },
                new { id = "page-3", name = "Somebody Else's", access_token = "page-token-3", tasks = new[] { "ANALYZE" } },
            },
        });
    }

    private void Json(IRequestBuilder request, object body) =>
        _fake.Given(request).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(body));
}
