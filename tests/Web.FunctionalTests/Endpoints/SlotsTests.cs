using System.Net;
using System.Net.Http.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>Posting slots: "runAt": "next-slot" takes the account's first free slot; the queue can be reordered.</summary>
public sealed class SlotsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static readonly string[] Everyday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private static async Task<DateTimeOffset> NextSlotAsync(HttpClient client, Guid account, string content)
    {
        var post = await AssertOkAsync(
            await client.PostAsJsonAsync("/schedule-post", new { socialAccountId = account, content, runAt = "next-slot" }, Ct), HttpStatusCode.Created);
        return post.GetProperty("runAt").GetDateTimeOffset();
    }

    [Fact]
    public async Task NextSlot_TakesTheFirstFreeSlot_InTurn()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "page-slots");
        var set = await AssertOkAsync(await client.PutAsJsonAsync($"/social-accounts/{account}/slots", new
        {
            timeZone = "Asia/Tokyo",
            slots = new[] { new { days = Everyday, time = "09:00" }, new { days = Everyday, time = "18:30" } },
        }, Ct));
        var next = set.GetProperty("next").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next, t => Assert.Contains(TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), new[] { "09:00", "18:30" }));

        var first = await NextSlotAsync(client, account, "one");
        var second = await NextSlotAsync(client, account, "two");
        var third = await NextSlotAsync(client, account, "three");

        Assert.Equal(next.Take(3), [first, second, third]);
        var after = await AssertOkAsync(await client.GetAsync($"/social-accounts/{account}/slots", Ct));
        Assert.Equal(next[3], after.GetProperty("next")[0].GetDateTimeOffset());
        Assert.Equal(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
            after.GetProperty("slots")[0].GetProperty("days").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Reordering_SwapsTheTimes_OfTheAccountsWaitingPosts()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "page-reorder");
        var a = await ScheduleAsync(client, account, "a");
        var b = await AssertOkAsync(await client.PostAsJsonAsync("/schedule-post", new { socialAccountId = account, content = "b", runAt = Future(TimeSpan.FromHours(5)) }, Ct), HttpStatusCode.Created);
        var (idA, idB) = (a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());

        var reordered = await AssertOkAsync(await client.PutAsJsonAsync($"/social-accounts/{account}/queue", new { postIds = new[] { idB, idA } }, Ct));

        Assert.Equal([idB, idA], reordered.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(a.GetProperty("runAt").GetDateTimeOffset(), reordered[0].GetProperty("runAt").GetDateTimeOffset());
        Assert.Equal(b.GetProperty("runAt").GetDateTimeOffset(), reordered[1].GetProperty("runAt").GetDateTimeOffset());
        var other = await ConnectAsync(client, "facebook", "page-other");
        var foreign = (await ScheduleAsync(client, other, "not this account's")).GetProperty("id").GetGuid();
        await AssertProblemAsync(await client.PutAsJsonAsync($"/social-accounts/{account}/queue", new { postIds = new[] { idA, foreign } }, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WithoutSlots_NextSlotIs409_AndBadSlotsAre400()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "page-noslots");

        var problem = await AssertProblemAsync(
            await client.PostAsJsonAsync("/schedule-post", new { socialAccountId = account, content = "x", runAt = "next-slot" }, Ct), HttpStatusCode.Conflict);
        Assert.Contains("no posting slots", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(await client.PutAsJsonAsync($"/social-accounts/{account}/slots", new
        {
            timeZone = "Europe/Paris", slots = new[] { new { days = new[] { "someday" }, time = "9am" } },
        }, Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PutAsJsonAsync($"/social-accounts/{account}/slots", new
        {
            timeZone = "Mars/Olympus", slots = new[] { new { days = new[] { "monday" }, time = "09:00" } },
        }, Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync($"/social-accounts/{Guid.CreateVersion7()}/slots", Ct), HttpStatusCode.NotFound);
    }
}
