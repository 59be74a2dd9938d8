using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.ReschedulePost;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Application.Queue;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

/// <summary>post_counts: kept exact by every save, concurrent ones included, and repaired by a recount.</summary>
public sealed class PostCountsTests(DatabaseFixture database) : IntegrationTest(database)
{
    private IPostCounts Counts => Database.Services.GetRequiredService<IPostCounts>();

    [Fact]
    public async Task SchedulesCancelsAndReschedules_MoveTheCounts_PerCompanyAndPlatform()
    {
        var company = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        var page = await ConnectAsync(company);
        var member = await ConnectAsync(company, Platform.LinkedIn, "urn:li:person:1");
        var elsewhere = await ConnectAsync(other, externalId: "other-page");
        var posts = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            posts.Add((await SendAsync(company, new SchedulePostCommand(page.Id, $"page {i}", InAnHour))).Id);
        }

        var linkedIn = await SendAsync(company, new SchedulePostCommand(member.Id, "member", InAnHour));
        await SendAsync(other, new SchedulePostCommand(elsewhere.Id, "other", InAnHour));

        await SendAsync(company, new CancelPostCommand(posts[0]));
        await SendAsync(company, new CancelPostCommand(linkedIn.Id));
        await SendAsync(company, new ReschedulePostCommand(posts[1], DateTimeOffset.UtcNow.AddHours(2).ToString("O")));

        Assert.Equal(
            [
                new PostCountRow(company, Platform.Facebook, PostStatus.Pending, 2),
                new PostCountRow(company, Platform.Facebook, PostStatus.Cancelled, 1),
                new PostCountRow(company, Platform.LinkedIn, PostStatus.Cancelled, 1),
            ],
            (await Counts.ReadAsync(company, Ct)).OrderBy(r => r.Platform).ThenBy(r => r.Status));
        Assert.Equal([new PostCountRow(other, Platform.Facebook, PostStatus.Pending, 1)], await Counts.ReadAsync(other, Ct));
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task ConcurrentSaves_OfOneCompany_LoseNoCount()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);

        var scheduled = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => SendAsync(company, new SchedulePostCommand(account.Id, $"burst {i}", InAnHour))));
        await Task.WhenAll(scheduled.Take(15).Select(p => SendAsync(company, new CancelPostCommand(p.Id))));

        var counts = await Counts.ReadAsync(company, Ct);
        Assert.Equal(25, counts.Single(c => c.Status == PostStatus.Pending).Count);
        Assert.Equal(15, counts.Single(c => c.Status == PostStatus.Cancelled).Count);
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task ASaveOutsideAUnitOfWork_CountsInItsOwnTransaction_InTheSavesFirstCommand()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        var scheduled = await SendAsync(company, new SchedulePostCommand(account.Id, "Hello", InAnHour));

        await using (var scope = Database.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
            var post = await db.Posts.SingleAsync(p => p.Id == scheduled.Id, Ct);
            post.Cancel(DateTimeOffset.UtcNow);
            using var commands = new ExecutedCommands(db);
            await db.SaveChangesAsync(Ct);

            var command = Assert.Single(commands.Texts);
            Assert.StartsWith("INSERT INTO post_counts", command, StringComparison.Ordinal);
            Assert.Contains("UPDATE `post_details`", command, StringComparison.Ordinal);
        }

        Assert.Equal([new PostCountRow(company, Platform.Facebook, PostStatus.Cancelled, 1)], await Counts.ReadAsync(company, Ct));
        await AssertPostCountsExactAsync();
    }

    /// <summary>The text of every command EF executed for one context, as its diagnostic events report them.</summary>
    private sealed class ExecutedCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext _db;
        private readonly List<IDisposable> _subscriptions = [];

        public ExecutedCommands(DbContext db)
        {
            _db = db;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public List<string> Texts { get; } = [];

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData data && data.Context == _db)
            {
                Texts.Add(data.Command.CommandText);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose() => _subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task PostsChangedByHand_AreCountedRightAgainByARecount()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(company, new SchedulePostCommand(account.Id, $"post {i}", InAnHour));
        }

        // A change in SQL that bypasses the application: the counts no longer match…
        await using (var connection = new MySqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new MySqlCommand("UPDATE post_details SET status = 'failed' WHERE content IN ('post 0', 'post 1')", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal(4, (await Counts.ReadAsync(company, Ct)).Single(c => c.Status == PostStatus.Pending).Count);

        // …until the recount.
        Assert.Equal(4, await Counts.RecountAsync(Ct));
        Assert.Equal(
            [new PostCountRow(company, Platform.Facebook, PostStatus.Pending, 2), new PostCountRow(company, Platform.Facebook, PostStatus.Failed, 2)],
            (await Counts.ReadAsync(company, Ct)).OrderBy(r => r.Status));
        await AssertPostCountsExactAsync();
    }
}
