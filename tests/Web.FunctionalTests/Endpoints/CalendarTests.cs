using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>GET /calendar: posts by local day in the asked zone, across a daylight-saving change, groups folded.</summary>
public sealed class CalendarTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static async Task<Guid> ScheduleAtAsync(HttpClient client, Guid account, string localTime, string content)
    {
        var response = await client.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = account, content, runAt = localTime, timeZone = "Europe/Paris" }, Ct);
        return (await AssertOkAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Posts_AreBinnedByLocalDay_OnTheDayClocksGoForward_WithGroupsFolded()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-cal");
        var member = await ConnectAsync(client, "linkedin", "urn:li:person:cal");
        // 2030-03-31 is 23 hours long in Paris: 00:00 is 23:00 UTC the day before, 23:30 is 21:30 UTC.
        await ScheduleAtAsync(client, page, "2030-03-30T23:30", "Saturday night");
        var early = await ScheduleAtAsync(client, page, "2030-03-31T00:30", "Just after midnight");
        await AssertOkAsync(await client.PostAsJsonAsync("/schedule-post", new
        {
            socialAccountIds = new[] { page, member }, content = "Sunday brunch", runAt = "2030-03-31T09:00", timeZone = "Europe/Paris",
        }, Ct), HttpStatusCode.Created);
        await ScheduleAtAsync(client, member, "2030-03-31T23:30", "Late on Sunday");
        await ScheduleAtAsync(client, page, "2030-04-01T00:15", "Monday");
        await AssertOkAsync(await client.DeleteAsync($"/scheduled-posts/{early}", Ct));

        var calendar = await AssertOkAsync(await client.GetAsync("/calendar?from=2030-03-30&to=2030-04-01&timeZone=Europe/Paris", Ct));

        var days = calendar.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(["2030-03-30", "2030-03-31", "2030-04-01"], days.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal([1, 4, 1], days.Select(d => d.GetProperty("posts").GetInt32()));
        Assert.Equal([1, 3, 1], days.Select(d => d.GetProperty("entries").GetInt32()));
        var sunday = days[1];
        Assert.Equal((3, 1), (sunday.GetProperty("byState").GetProperty("pending").GetInt32(), sunday.GetProperty("byState").GetProperty("cancelled").GetInt32()));
        var items = sunday.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["00:30", "09:00", "23:30"], items.Select(i => i.GetProperty("localTime").GetString()));
        Assert.Equal(["Just after midnight", "Sunday brunch", "Late on Sunday"], items.Select(i => i.GetProperty("excerpt").GetString()));
        var brunch = items[1];
        Assert.NotEqual(JsonValueKind.Null, brunch.GetProperty("groupId").ValueKind);
        Assert.Equal(["facebook", "linkedin"], brunch.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("platform").GetString()).Order());
        Assert.Equal("cancelled", items[0].GetProperty("posts")[0].GetProperty("status").GetString());

        var firstOnly = await AssertOkAsync(await client.GetAsync("/calendar?from=2030-03-31&to=2030-03-31&timeZone=Europe/Paris&perDay=1", Ct));
        var day = Assert.Single(firstOnly.GetProperty("days").EnumerateArray());
        Assert.Equal((1, 2), (day.GetProperty("items").GetArrayLength(), day.GetProperty("more").GetInt32()));

        // The same posts seen from New York fall on other days.
        var newYork = await AssertOkAsync(await client.GetAsync("/calendar?from=2030-03-30&to=2030-03-31&timeZone=America/New_York", Ct));
        Assert.Equal([2, 4], newYork.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("posts").GetInt32()));

        var other = await AssertOkAsync(await Factory.ClientFor(Guid.CreateVersion7()).GetAsync("/calendar?from=2030-03-30&to=2030-04-01&timeZone=Europe/Paris", Ct));
        Assert.All(other.GetProperty("days").EnumerateArray(), d => Assert.Equal(0, d.GetProperty("posts").GetInt32()));
    }

    [Fact]
    public async Task ABadRangeOrZone_IsA400NamingIt()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var problem = await AssertProblemAsync(await client.GetAsync("/calendar?from=2030-03-30&to=2030-03-01&timeZone=Europe/Paris", Ct), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
        problem = await AssertProblemAsync(await client.GetAsync("/calendar?from=2030-03-01&to=2030-03-02&timeZone=Mars/Olympus", Ct), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeZone", out _));
        await AssertProblemAsync(await client.GetAsync("/calendar?from=tomorrow&to=2030-03-02&timeZone=UTC", Ct), HttpStatusCode.BadRequest);
    }
}
