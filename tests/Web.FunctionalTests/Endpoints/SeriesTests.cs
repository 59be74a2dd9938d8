using System.Net;
using System.Net.Http.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>Recurring posts: one post per occurrence at the same local time across DST, edited and stopped as a series.</summary>
public sealed class SeriesTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    [Fact]
    public async Task AWeeklySeries_AcrossTheSpringChange_KeepsItsLocalTime_ThenIsEditedAndStopped()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "page-series");
        var created = await AssertOkAsync(await client.PostAsJsonAsync("/schedule-post", new
        {
            socialAccountId = account, content = "Weekly special", runAt = "2030-03-18T09:30", timeZone = "Europe/Paris",
            recurrence = new { frequency = "weekly", count = 4 },
        }, Ct), HttpStatusCode.Created);

        var seriesId = created.GetProperty("seriesId").GetGuid();
        var posts = created.GetProperty("posts").EnumerateArray().ToList();
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.Equal(4, posts.Count);
        Assert.All(posts, p => Assert.Equal(
            "09:30 Monday", TimeZoneInfo.ConvertTime(p.GetProperty("runAt").GetDateTimeOffset(), paris).ToString("HH:mm dddd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["08:30", "08:30", "07:30", "07:30"], posts.Select(p => p.GetProperty("runAt").GetDateTimeOffset().UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(posts, p => Assert.Equal(seriesId, p.GetProperty("seriesId").GetGuid()));

        var first = posts[0].GetProperty("id").GetGuid();
        await ExecuteSqlAsync($"UPDATE post_details SET status = 'published', external_post_id = '1_2', published_at = UTC_TIMESTAMP(6) WHERE id = UNHEX(REPLACE('{first}', '-', ''))");
        await ExecuteSqlAsync($"UPDATE post_schedule SET status = 'done' WHERE post_detail_id = UNHEX(REPLACE('{first}', '-', ''))");
        var edited = await AssertOkAsync(await client.PatchAsJsonAsync($"/post-series/{seriesId}", new { content = "Weekly special: soup" }, Ct));
        Assert.Equal(
            ["Weekly special", "Weekly special: soup", "Weekly special: soup", "Weekly special: soup"],
            edited.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("content").GetString()));

        var stopped = await AssertOkAsync(await client.DeleteAsync($"/post-series/{seriesId}", Ct));

        Assert.Equal(["published", "cancelled", "cancelled", "cancelled"], stopped.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("status").GetString()));
        var listed = await AssertOkAsync(await client.GetAsync($"/scheduled-posts?seriesId={seriesId}", Ct));
        Assert.Equal(4, listed.GetProperty("items").GetArrayLength());
        await AssertProblemAsync(await Factory.ClientFor(Guid.CreateVersion7()).DeleteAsync($"/post-series/{seriesId}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ABadRecurrence_IsA400_AndCreatesNothing()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "page-series-bad");

        async Task RefusedAsync(object body, string field)
        {
            var problem = await AssertProblemAsync(await client.PostAsJsonAsync("/schedule-post", body, Ct), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase)), problem.ToString());
        }

        await RefusedAsync(new { socialAccountId = account, content = "x", runAt = "2030-03-18T09:30", timeZone = "Europe/Paris", recurrence = new { frequency = "hourly", count = 2 } }, "recurrence");
        await RefusedAsync(new { socialAccountId = account, content = "x", runAt = "2030-03-18T09:30", timeZone = "Europe/Paris", recurrence = new { frequency = "daily" } }, "recurrence");
        await RefusedAsync(new { socialAccountId = account, content = "x", runAt = "2030-03-18T09:30:00+01:00", timeZone = "Europe/Paris", recurrence = new { frequency = "daily", count = 2 } }, "runAt");
        await RefusedAsync(new { socialAccountId = account, content = "x", runAt = "2030-03-18T09:30", recurrence = new { frequency = "daily", count = 2 } }, "timeZone");
        await RefusedAsync(new { socialAccountId = account, content = "x", runAt = "2030-03-18T09:30", timeZone = "Europe/Paris", recurrence = new { frequency = "daily", until = "2035-01-01" } }, "recurrence");
        Assert.Equal(0, (await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct))).GetProperty("items").GetArrayLength());
    }
}
