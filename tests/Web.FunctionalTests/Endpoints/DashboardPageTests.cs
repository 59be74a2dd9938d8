using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scheduler.Web.FunctionalTests.Connections;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium driven by Playwright) against the real host: the numbers it
/// shows are <c>/queue/health</c>'s, a failed post is listed and retried from the page, a company sees only its own
/// posts and an operator sees every company. Screenshots land in <c>screenshots/</c>.
/// </summary>
public sealed class DashboardPageTests : FunctionalTest, IDisposable
{
    private readonly WebApplicationFactory<Program> _app;
    private readonly string _baseUrl;

    public DashboardPageTests(SchedulerFactory factory) : base(factory)
    {
        (_app, _baseUrl) = BrowserHost.Start(factory);
    }

    public void Dispose() => _app.Dispose();

    private async Task<(Guid Failed, Guid Pending)> CompanyWithPostsAsync(Guid company, string content)
    {
        var client = Factory.ClientFor(company);
        var account = await ConnectAsync(client, "facebook", "page-" + company.ToString("N")[..8]);
        var pending = (await ScheduleAsync(client, account, content + " later")).GetProperty("id").GetGuid();
        var failed = (await ScheduleAsync(client, account, content)).GetProperty("id").GetGuid();
        await ExecuteSqlAsync($"UPDATE post_details SET status = 'failed', error_message = 'The platform said no' WHERE id = UNHEX(REPLACE('{failed}', '-', ''))");
        await ExecuteSqlAsync($"UPDATE post_schedule SET status = 'failed', attempts = 3, last_error = 'The platform said no' WHERE post_detail_id = UNHEX(REPLACE('{failed}', '-', ''))");
        return (failed, pending);
    }

    private async Task<IPage> OpenAsync(IBrowser browser, string token)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync($"{_baseUrl}/dashboard");
        await page.FillAsync("#token", token);
        await page.ClickAsync("#login button");
        await page.WaitForSelectorAsync("#banner:not([hidden])");
        return page;
    }

    [Fact]
    public async Task ACompany_SeesItsNumbers_ItsFailedPost_AndRetriesItFromThePage()
    {
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (failed, pending) = await CompanyWithPostsAsync(a, "Company A's post");
        var (failedOfB, _) = await CompanyWithPostsAsync(b, "Company B's post");
        await RollUpLastMinutesAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserHost.LaunchAsync(playwright);
        var page = await OpenAsync(browser, SchedulerFactory.Token(new Claim("company_id", a.ToString())));
        await page.WaitForSelectorAsync("#charts figure[data-chart=lateness] svg");
        Assert.Equal(3, await page.Locator("#charts figure svg").CountAsync());
        Assert.True(
            await page.Locator("#charts figure[data-chart=depth] svg circle, #charts figure[data-chart=depth] svg polyline").CountAsync() > 0,
            "the rolled-up minutes are drawn");

        var health = await AssertOkAsync(await Factory.ClientFor(a).GetAsync("/queue/health", Ct));
        foreach (var (tile, value) in new[] { ("pending", health.GetProperty("counts").GetProperty("pending")), ("failed", health.GetProperty("counts").GetProperty("failed")), ("due", health.GetProperty("dueBacklog")) })
        {
            Assert.Equal(value.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), await page.TextContentAsync($"[data-tile={tile}] .value"));
        }

        Assert.Equal(health.GetProperty("status").GetString(), (await page.GetAttributeAsync("#banner", "class"))!.Split(' ')[1]);
        await page.ClickAsync("#tabs button[data-list=failed]");
        await page.WaitForSelectorAsync($"tr[data-post='{failed}']");
        Assert.Contains("The platform said no", await page.TextContentAsync($"tr[data-post='{failed}']"), StringComparison.Ordinal);
        Assert.DoesNotContain(failedOfB.ToString(), await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Company B", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync($"tr[data-post='{failed}'] >> text=Details");
        await page.WaitForSelectorAsync("#detail:not([hidden])");
        Directory.CreateDirectory("screenshots");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "dashboard-company.png"), FullPage = true });

        await page.ClickAsync($"tr[data-post='{failed}'] >> text=Retry");
        await page.WaitForSelectorAsync($"tr[data-post='{failed}']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });

        var post = await AssertOkAsync(await Factory.ClientFor(a).GetAsync($"/scheduled-posts/{failed}", Ct));
        Assert.Equal("pending", post.GetProperty("status").GetString());
        await page.ClickAsync("#tabs button[data-list=due]");
        await page.WaitForSelectorAsync($"tr[data-post='{failed}']");
        Assert.Contains("pending", await page.TextContentAsync($"tr[data-post='{failed}']"), StringComparison.Ordinal);
        Assert.Null(await page.QuerySelectorAsync($"tr[data-post='{pending}']")); // not due yet
    }

    [Fact]
    public async Task AnOperator_SeesEveryCompany_AndActsOnAnyPost()
    {
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await CompanyWithPostsAsync(a, "Company A's post");
        var (failedOfB, _) = await CompanyWithPostsAsync(b, "Company B's post");
        await RollUpLastMinutesAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserHost.LaunchAsync(playwright);
        var page = await OpenAsync(browser, SchedulerFactory.Token(new Claim("sub", "ops"), new Claim("role", "operator")));
        // A flat line has no height: attached, not visible, is what says it was drawn.
        await page.WaitForSelectorAsync(
            "#charts figure[data-chart=depth] svg polyline, #charts figure[data-chart=depth] svg circle",
            new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

        await page.WaitForSelectorAsync("#operator:not([hidden])");
        var companies = await page.Locator("#companies tr td:first-child").AllInnerTextsAsync();
        Assert.Contains(a.ToString(), companies);
        Assert.Contains(b.ToString(), companies);
        Assert.Equal("2", await page.TextContentAsync("[data-tile=failed] .value"));
        await page.ClickAsync("#tabs button[data-list=failed]");
        await page.WaitForSelectorAsync($"tr[data-post='{failedOfB}']");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory.CreateDirectory("screenshots").FullName, "dashboard-operator.png"), FullPage = true });
        await page.ClickAsync($"tr[data-post='{failedOfB}'] >> text=Retry");
        await page.WaitForSelectorAsync($"tr[data-post='{failedOfB}']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });

        Assert.Equal("pending", (await AssertOkAsync(await Factory.ClientFor(b).GetAsync($"/scheduled-posts/{failedOfB}", Ct))).GetProperty("status").GetString());
    }

    /// <summary>What a worker's rollup service writes each minute, for the charts.</summary>
    private async Task RollUpLastMinutesAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var rollups = Factory.Services.GetRequiredService<Scheduler.Infrastructure.Persistence.Queue.SqlQueueRollups>();
        for (var i = 3; i >= 1; i--)
        {
            await rollups.RollUpAsync(minute.AddMinutes(-i), Ct);
        }
    }
}
