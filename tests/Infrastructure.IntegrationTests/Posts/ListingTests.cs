using Scheduler.Application.Clients.CreateClient;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.GetScheduledPosts;
using Scheduler.Application.Posts.SchedulePost;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

public sealed class ListingTests(DatabaseFixture database) : IntegrationTest(database)
{
    private static readonly DateTimeOffset Base = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3);

    [Fact]
    public async Task KeysetPaging_WalksEveryPostOnceInRunAtThenIdOrder_EvenWithTies()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        // 23 posts over 5 distinct times: many share a runAt, so the id must break ties.
        for (var i = 0; i < 23; i++)
        {
            await SendAsync(company, new SchedulePostCommand(account.Id, $"post {i}", Base.AddHours(i % 5).ToString("O")));
        }

        var seen = new List<PostDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SendAsync(company, new GetScheduledPostsQuery(Limit: 10, Cursor: cursor));
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(23, seen.Count);
        Assert.Equal(23, seen.Select(p => p.Id).Distinct().Count());
        Assert.Equal(seen.OrderBy(p => p.RunAt).Select(p => p.RunAt), seen.Select(p => p.RunAt));
        foreach (var tie in seen.GroupBy(p => p.RunAt))
        {
            // Time-ordered UUIDs sort by creation: within a tie the order is the order of scheduling.
            Assert.Equal(tie.OrderBy(p => p.CreatedAt).Select(p => p.Id), tie.Select(p => p.Id));
        }
    }

    [Fact]
    public async Task Filters_SelectByStatusClientAccountAndTimeRange()
    {
        var company = Guid.CreateVersion7();
        var client = await SendAsync(company, new CreateClientCommand("Bakery"));
        var clientAccount = await ConnectAsync(company, externalId: "bakery-page", clientId: client.Id);
        var otherAccount = await ConnectAsync(company, externalId: "agency-page");
        var a = await SendAsync(company, new SchedulePostCommand(clientAccount.Id, "a", Base.ToString("O")));
        var b = await SendAsync(company, new SchedulePostCommand(clientAccount.Id, "b", Base.AddHours(1).ToString("O")));
        var c = await SendAsync(company, new SchedulePostCommand(otherAccount.Id, "c", Base.AddHours(2).ToString("O")));
        await ExecuteAsync($"UPDATE post_details SET status = 'failed' WHERE content = 'b'");
        await ExecuteAsync($"UPDATE post_schedule s JOIN post_details d ON d.id = s.post_detail_id SET s.status = 'processing' WHERE d.content = 'c'");

        async Task<Guid[]> Ids(GetScheduledPostsQuery q) => (await SendAsync(company, q)).Items.Select(p => p.Id).ToArray();

        Assert.Equal([a.Id, b.Id], await Ids(new GetScheduledPostsQuery(ClientId: client.Id)));
        Assert.Equal([c.Id], await Ids(new GetScheduledPostsQuery(SocialAccountId: otherAccount.Id)));
        Assert.Equal([a.Id], await Ids(new GetScheduledPostsQuery(Status: PostState.Pending)));
        Assert.Equal([b.Id], await Ids(new GetScheduledPostsQuery(Status: PostState.Failed)));
        Assert.Equal([c.Id], await Ids(new GetScheduledPostsQuery(Status: PostState.Processing)));
        Assert.Equal([b.Id], await Ids(new GetScheduledPostsQuery(From: Base.AddHours(1), To: Base.AddHours(2))));
        Assert.Empty(await Ids(new GetScheduledPostsQuery(CompanyId: company, Status: PostState.Published)));
        Assert.Empty((await SendAsync(Guid.CreateVersion7(), new GetScheduledPostsQuery())).Items);
    }

    [Fact]
    public async Task DueBy_SelectsPendingPostsByTheirNextAttempt_NotByTheTimeChosen()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "due-page");
        var retried = await SendAsync(company, new SchedulePostCommand(account.Id, "retried now", Base.ToString("O")));
        await SendAsync(company, new SchedulePostCommand(account.Id, "later", Base.AddHours(1).ToString("O")));
        await ExecuteAsync("UPDATE post_schedule s JOIN post_details d ON d.id = s.post_detail_id SET s.next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE WHERE d.content = 'retried now'");

        var due = await SendAsync(company, new GetScheduledPostsQuery(DueBy: DateTimeOffset.UtcNow));

        Assert.Equal(retried.Id, Assert.Single(due.Items).Id);
    }
}
