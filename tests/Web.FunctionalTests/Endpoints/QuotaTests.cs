using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>Instagram's 24-hour publishing quota, checked when posts are scheduled: a warning, or a 409 by configuration.</summary>
public sealed class QuotaTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static readonly string[] Image = ["https://cdn.example/a.jpg"];

    private static Task<HttpResponseMessage> ScheduleAsync(HttpClient client, Guid account, DateTimeOffset at) =>
        client.PostAsJsonAsync("/schedule-post", new { socialAccountId = account, content = "Photo", mediaUrls = Image, runAt = at.ToString("O") }, Ct);

    private static HttpClient ClientFor(WebApplicationFactory<Program> app, Guid company)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SchedulerFactory.Token(new System.Security.Claims.Claim("company_id", company.ToString())));
        return client;
    }

    [Fact]
    public async Task OneInstagramPostOverTheQuota_IsScheduledWithAWarning_CancelledOnesDoNotCount()
    {
        await using var app = Factory.WithWebHostBuilder(b => b.UseSetting("Quotas:InstagramPostsPerDay", "2"));
        var client = ClientFor(app, Guid.CreateVersion7());
        var instagram = await ConnectAsync(client, "instagram", "ig-quota");
        var facebook = await ConnectAsync(client, "facebook", "page-quota");
        var at = DateTimeOffset.UtcNow.AddDays(2);

        var first = await AssertOkAsync(await ScheduleAsync(client, instagram, at), HttpStatusCode.Created);
        var second = await AssertOkAsync(await ScheduleAsync(client, instagram, at.AddHours(1)), HttpStatusCode.Created);
        var third = await AssertOkAsync(await ScheduleAsync(client, instagram, at.AddHours(2)), HttpStatusCode.Created);
        var elsewhere = await AssertOkAsync(await ScheduleAsync(client, instagram, at.AddHours(30)), HttpStatusCode.Created);
        var page = await AssertOkAsync(await ScheduleAsync(client, facebook, at.AddHours(2)), HttpStatusCode.Created);

        Assert.Equal(JsonValueKind.Null, first.GetProperty("warnings").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("warnings").ValueKind);
        var warning = Assert.Single(third.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("at most 2 posts per account in any 24 hours", warning, StringComparison.Ordinal);
        Assert.Contains("would have 3", warning, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, elsewhere.GetProperty("warnings").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("warnings").ValueKind);

        await AssertOkAsync(await client.DeleteAsync($"/scheduled-posts/{first.GetProperty("id").GetGuid()}", Ct));
        var fourth = await AssertOkAsync(await ScheduleAsync(client, instagram, at.AddHours(3)), HttpStatusCode.Created);
        Assert.Single(fourth.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task ConfiguredToReject_AnInstagramPostOverTheQuota_Is409AndNothingIsCreated()
    {
        await using var app = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Quotas:InstagramPostsPerDay", "1");
            b.UseSetting("Quotas:Enforcement", "Reject");
        });
        var client = ClientFor(app, Guid.CreateVersion7());
        var instagram = await ConnectAsync(client, "instagram", "ig-strict");
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var kept = await AssertOkAsync(await ScheduleAsync(client, instagram, at), HttpStatusCode.Created);
        var later = await AssertOkAsync(await ScheduleAsync(client, instagram, at.AddDays(2)), HttpStatusCode.Created);

        var problem = await AssertProblemAsync(await ScheduleAsync(client, instagram, at.AddHours(5)), HttpStatusCode.Conflict);
        Assert.Contains("at most 1 posts per account", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Moving the later post next to the first one is refused the same way.
        await AssertProblemAsync(
            await client.PatchAsJsonAsync($"/scheduled-posts/{later.GetProperty("id").GetGuid()}", new { runAt = at.AddHours(1).ToString("O") }, Ct),
            HttpStatusCode.Conflict);

        var items = (await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(kept.GetProperty("id").GetGuid(), items[0].GetProperty("id").GetGuid());
        Assert.Equal(at.AddDays(2), items[1].GetProperty("runAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
    }
}
