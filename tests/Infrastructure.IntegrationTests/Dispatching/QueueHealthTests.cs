using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Application.Posts;
using Scheduler.Application.Queue.GetQueueHealth;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

public sealed class QueueHealthTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task TheHealth_CountsWhatTheDispatcherDid_ForTheCompanyOnly()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 6, dueInSeconds: -2, tag: "ok"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 3, dueInSeconds: 3600, tag: "later"));
        await using (var worker = Worker())
        {
            await RunAsync(worker);
        }

        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -1, tag: "bad"));
        await using (var failing = Worker(("Sandbox:FailureRates:Permanent", "1")))
        {
            await RunAsync(failing);
        }

        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 4, dueInSeconds: -30, tag: "backlog"));

        var health = await SendAsync(company, new GetQueueHealthQuery());

        Assert.Equal(6, health.Counts[PostState.Published]);
        Assert.Equal(2, health.Counts[PostState.Failed]);
        Assert.Equal(7, health.Counts[PostState.Pending]);
        Assert.Equal(4, health.DueBacklog);
        Assert.InRange(health.OldestDueAgeSeconds!.Value, 25, 120);
        Assert.Equal(0.75, health.SuccessRate);
        Assert.Equal(6, health.LatenessMs.Samples);
        Assert.True(health.LatenessMs.P50 >= 0 && health.LatenessMs.P99 >= health.LatenessMs.P50);
        Assert.Equal(2, health.RecentFailures.Count);
        Assert.All(health.RecentFailures, f => Assert.Contains("permanent", f.Reason, StringComparison.Ordinal));
        Assert.Equal(0.4, health.PublishedPerMinute);
        var thisWorker = Assert.Single(health.Workers, w => w.WorkerId == Database.Services.GetRequiredService<WorkerIdentity>().Id);
        Assert.Equal((8, 6), (thisWorker.Claimed, thisWorker.Published)); // totals over both runs of this process

        var other = await SendAsync(Guid.CreateVersion7(), new GetQueueHealthQuery());
        Assert.All(other.Counts.Values, c => Assert.Equal(0, c));
        Assert.Empty(other.RecentFailures);
        Assert.Null(other.SuccessRate);
    }

    [Fact]
    public void Percentile_IsNearestRank()
    {
        double[] values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        Assert.Equal(50, GetQueueHealthQueryHandler.Percentile(values, 0.50));
        Assert.Equal(100, GetQueueHealthQueryHandler.Percentile(values, 0.95));
        Assert.Null(GetQueueHealthQueryHandler.Percentile([], 0.5));
    }

    private ServiceProvider Worker(params (string Key, string? Value)[] settings) =>
        DatabaseFixture.BuildServices(new ConfigurationBuilder()
            .AddInMemoryCollection(DatabaseFixture.Settings(Database.ConnectionString, settings)).Build());

    private static async Task RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
    }

    [Fact]
    public async Task PostsAWorkerHolds_AreCountedProcessing_NotPending_ForTheCompanyAndTheOperator()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "counts-page");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 3, dueInSeconds: 3600, tag: "later"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -5, status: "processing", tag: "held"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 4, dueInSeconds: -5, tag: "due"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -5, status: "published", tag: "done"));

        var health = await SendAsync(company, new GetQueueHealthQuery());
        var everyone = await SendAsync(Guid.CreateVersion7(), new Application.Operations.GetOperatorQueueHealthQuery());

        Assert.Equal((7, 2, 1, 4), (health.Counts[PostState.Pending], health.Counts[PostState.Processing], health.Counts[PostState.Published], health.DueBacklog));
        Assert.Equal((7, 2, 1, 4), (everyone.Counts[PostState.Pending], everyone.Counts[PostState.Processing], everyone.Counts[PostState.Published], everyone.DueBacklog));
        var mine = Assert.Single(everyone.Companies, c => c.CompanyId == company);
        Assert.Equal((7, 2, 4), (mine.Counts[PostState.Pending], mine.Counts[PostState.Processing], mine.DueBacklog));
        var facebook = Assert.Single(everyone.Platforms);
        Assert.Equal((7, 2, 4), (facebook.Counts[PostState.Pending], facebook.Counts[PostState.Processing], facebook.DueBacklog));
    }

    [Fact]
    public async Task TheDaysFigures_AreTheRolledUpMinutes_PlusWhatFinishedAfterTheLastOne_CountedOnce()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "rollup-page");
        var now = DateTimeOffset.UtcNow;
        var thisMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        // Rolled up: ten hours ago (in the day, not in the last 15 minutes) and five minutes ago, the queue's last minute.
        await ExecuteAsync($"""
            INSERT INTO queue_rollups (company_id, minute, published, failed, retried, recovered, due, pending_future, processing)
            VALUES ({Hex(company)}, '{Sql(thisMinute.AddHours(-10))}', 100, 10, 4, 2, 0, 0, 0),
                   ({Hex(company)}, '{Sql(thisMinute.AddMinutes(-5))}', 30, 0, 1, 1, 0, 0, 0),
                   ({Hex(Guid.Empty)}, '{Sql(thisMinute.AddMinutes(-5))}', 30, 0, 1, 1, 0, 0, 0);
            """);
        // Published within the rolled-up minutes: already in their sums, not to be counted again.
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 3, dueInSeconds: -600, status: "published", tag: "rolled"));
        await ExecuteAsync($"UPDATE post_details SET published_at = '{Sql(thisMinute.AddMinutes(-5).AddSeconds(20))}' WHERE content LIKE 'rolled %'");
        // Finished after the last rolled-up minute: counted live.
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 6, dueInSeconds: -2, tag: "live"));
        await using (var worker = Worker())
        {
            await RunAsync(worker);
        }

        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -1, tag: "bad"));
        await using (var failing = Worker(("Sandbox:FailureRates:Permanent", "1")))
        {
            await RunAsync(failing);
        }

        var health = await SendAsync(company, new GetQueueHealthQuery());

        // Day: published 100 + 30 + 6, failed 10 + 0 + 2; last 15 minutes: 30 + 6 published.
        Assert.Equal(Math.Round(136.0 / 148, 4), health.SuccessRate);
        Assert.Equal(Math.Round(36 / 15.0, 2), health.PublishedPerMinute);
        Assert.Equal(3, health.RecoveredLast24Hours);
        Assert.Equal((9, 2), (health.Counts[PostState.Published], health.Counts[PostState.Failed]));
    }

    private static string Sql(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);

    private static string Hex(Guid id) => $"UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')";
}
