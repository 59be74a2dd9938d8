using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>One post on several accounts: one transaction, a shared groupId, listed and cancelled together.</summary>
public sealed class PostGroupsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static async Task<(Guid Page, Guid OtherPage, Guid Member)> AccountsAsync(HttpClient client) =>
        (await ConnectAsync(client, "facebook", "page-a"), await ConnectAsync(client, "facebook", "page-b"),
         await ConnectAsync(client, "linkedin", "urn:li:person:g"));

    private static Task<HttpResponseMessage> ScheduleGroupAsync(HttpClient client, object body) =>
        client.PostAsJsonAsync("/schedule-post", body, Ct);

    [Fact]
    public async Task OnePostPerAccount_ShareAGroup_WithTheVariantsContent()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var (page, otherPage, member) = await AccountsAsync(client);
        var runAt = Future(TimeSpan.FromHours(3));

        var response = await ScheduleGroupAsync(client, new
        {
            socialAccountIds = new[] { page, otherPage, member },
            content = "Opening on Saturday",
            runAt,
            variants = new[] { new { socialAccountId = member, content = "We are opening our second shop on Saturday." } },
        });
        var group = await AssertOkAsync(response, HttpStatusCode.Created);

        var groupId = group.GetProperty("groupId").GetGuid();
        var posts = group.GetProperty("posts").EnumerateArray().ToList();
        Assert.Equal([page, otherPage, member], posts.Select(p => p.GetProperty("socialAccountId").GetGuid()));
        Assert.All(posts, p => Assert.Equal(groupId, p.GetProperty("groupId").GetGuid()));
        Assert.All(posts, p => Assert.Equal("pending", p.GetProperty("status").GetString()));
        Assert.Equal(
            ["Opening on Saturday", "Opening on Saturday", "We are opening our second shop on Saturday."],
            posts.Select(p => p.GetProperty("content").GetString()));
        Assert.Single(posts.Select(p => p.GetProperty("runAt").GetDateTimeOffset()).Distinct());
        Assert.Equal($"/scheduled-posts?groupId={groupId}", response.Headers.Location?.OriginalString);

        await ScheduleAsync(client, page, "Not in the group");
        var listed = await AssertOkAsync(await client.GetAsync($"/scheduled-posts?groupId={groupId}", Ct));
        Assert.Equal(
            posts.Select(p => p.GetProperty("id").GetGuid()).Order(),
            listed.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).Order());
    }

    [Fact]
    public async Task AGroupWithABadAccountOrContent_IsRefusedWhole_AndCreatesNothing()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var (page, _, member) = await AccountsAsync(client);
        var elsewhere = await ConnectAsync(Factory.ClientFor(Guid.CreateVersion7()), "facebook", "page-elsewhere");
        var runAt = Future(TimeSpan.FromHours(3));

        // Another company's account: 404, not a partial group.
        await AssertProblemAsync(
            await ScheduleGroupAsync(client, new { socialAccountIds = new[] { page, elsewhere }, content = "Hi", runAt }), HttpStatusCode.NotFound);
        // Too long for LinkedIn (3,000 characters), fine for Facebook: refused on the LinkedIn account.
        var tooLong = await AssertProblemAsync(
            await ScheduleGroupAsync(client, new { socialAccountIds = new[] { page, member }, content = new string('x', 3_001), runAt }),
            HttpStatusCode.BadRequest);
        Assert.Contains($"linkedin account {member}", tooLong.GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);
        // Both forms at once.
        await AssertProblemAsync(
            await ScheduleGroupAsync(client, new { socialAccountId = page, socialAccountIds = new[] { member }, content = "Hi", runAt }),
            HttpStatusCode.BadRequest);

        var all = await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct));
        Assert.Empty(all.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task CancellingAGroup_CancelsWhatStillWaits_AndLeavesWhatWasPublished()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var (page, otherPage, member) = await AccountsAsync(client);
        var group = await AssertOkAsync(
            await ScheduleGroupAsync(client, new { socialAccountIds = new[] { page, otherPage, member }, content = "Sale", runAt = Future(TimeSpan.FromHours(1)) }),
            HttpStatusCode.Created);
        var groupId = group.GetProperty("groupId").GetGuid();
        var published = group.GetProperty("posts")[0].GetProperty("id").GetGuid();
        await ExecuteSqlAsync($"UPDATE post_details SET status = 'published', external_post_id = '1_2', published_at = UTC_TIMESTAMP(6) WHERE id = UNHEX(REPLACE('{published}', '-', ''))");
        await ExecuteSqlAsync($"UPDATE post_schedule SET status = 'done' WHERE post_detail_id = UNHEX(REPLACE('{published}', '-', ''))");

        var cancelled = await AssertOkAsync(await client.DeleteAsync($"/post-groups/{groupId}", Ct));

        var states = cancelled.GetProperty("posts").EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("status").GetString());
        Assert.Equal(3, states.Count);
        Assert.Equal("published", states[published]);
        Assert.Equal(["cancelled", "cancelled"], states.Where(s => s.Key != published).Select(s => s.Value));
        var counts = (await AssertOkAsync(await client.GetAsync("/queue/health", Ct))).GetProperty("counts");
        Assert.Equal((0, 1, 2), (counts.GetProperty("pending").GetInt32(), counts.GetProperty("published").GetInt32(), counts.GetProperty("cancelled").GetInt32()));
        await AssertProblemAsync(await client.DeleteAsync($"/post-groups/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await Factory.ClientFor(Guid.CreateVersion7()).DeleteAsync($"/post-groups/{groupId}", Ct), HttpStatusCode.NotFound);
    }
}
