using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Persistence.Configurations;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

public sealed class SqlJobQueueTests(DatabaseFixture database) : IntegrationTest(database)
{
    private IJobQueue Queue => Database.Services.GetRequiredService<IJobQueue>();

    [Fact]
    public async Task FourConcurrentClaimers_ClaimEveryDueRowExactlyOnce_AndNothingElse()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 10_000, dueInSeconds: -5, tag: "due"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 100, dueInSeconds: 3600, tag: "future"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 100, dueInSeconds: -5, status: "cancelled", tag: "cancelled"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 100, dueInSeconds: -5, status: "failed", tag: "failed"));

        var claims = new ConcurrentBag<ClaimedJob>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(1, 4).Select(worker => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await Queue.ClaimDueAsync($"worker-{worker}", 50, TimeSpan.FromMinutes(10), Ct);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var job in batch)
                {
                    claims.Add(job);
                }
            }
        }, Ct)));

        clock.Stop();
        TestContext.Current.SendDiagnosticMessage(
            $"Claim: 4 claimers leased 10,000 rows in batches of 50 in {clock.Elapsed.TotalMilliseconds:F0} ms ({10_000 / clock.Elapsed.TotalSeconds:F0} rows/s)");
        Assert.Equal(10_000, claims.Count);
        Assert.Equal(10_000, claims.Select(c => c.PostId).Distinct().Count());
        Assert.All(claims, c => Assert.Equal(1, c.Attempts));
        Assert.Equal(10_000, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule s JOIN post_details d ON d.id = s.post_detail_id
            WHERE d.content LIKE 'due %' AND s.status = 'processing' AND s.attempts = 1 AND s.lock_token IS NOT NULL
              AND s.lease_expires_at > UTC_TIMESTAMP(6) AND s.worker_id LIKE 'worker-%'
            """));
        Assert.Equal(300, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule s JOIN post_details d ON d.id = s.post_detail_id
            WHERE d.content NOT LIKE 'due %' AND s.attempts = 0 AND s.lock_token IS NULL AND s.status IN ('pending', 'cancelled', 'failed')
            """));
        Assert.Equal(100, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'pending'"));
    }

    [Fact]
    public async Task TheClaim_IsServedByTheStatusRunAtIdIndex()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2_000, dueInSeconds: -5));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2_000, dueInSeconds: 3600));

        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var explain = new MySqlCommand("EXPLAIN " + SqlJobQueue.ClaimSql, connection);
        explain.Parameters.AddWithValue("@batch", 50);
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(PostScheduleConfiguration.ClaimIndex, reader.GetString(reader.GetOrdinal("key")));
        Assert.NotEqual("ALL", reader.GetString(reader.GetOrdinal("type")));
    }

    [Fact]
    public async Task ClaimDue_TakesTheOldestFirst_AndNextDueAtIsTheEarliestPending()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 3, dueInSeconds: -60, tag: "older"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 3, dueInSeconds: -1, tag: "newer"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: 120, tag: "later"));

        var first = await Queue.ClaimDueAsync("w", 3, TimeSpan.FromMinutes(1), Ct);
        var next = await Queue.NextDueAtAsync(Ct);

        Assert.Equal(3, first.Count);
        Assert.All(first, j => Assert.True(j.RunAt < DateTimeOffset.UtcNow.AddSeconds(-30)));
        Assert.NotNull(next);
        Assert.True(next < DateTimeOffset.UtcNow, "the newer rows are still pending and overdue");
    }

    [Fact]
    public async Task ReclaimExpired_TakesOnlyExpiredLeases_UnderANewTokenWithoutSpendingAnAttempt()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -5));
        var claimed = await Queue.ClaimDueAsync("dead-worker", 1, TimeSpan.FromMilliseconds(200), Ct);
        var healthy = await Queue.ClaimDueAsync("live-worker", 1, TimeSpan.FromMinutes(10), Ct);
        await Task.Delay(400, Ct);

        var reclaimed = await Queue.ReclaimExpiredAsync("rescuer", 10, TimeSpan.FromMinutes(10), Ct);

        var job = Assert.Single(reclaimed);
        Assert.Equal(claimed[0].PostId, job.PostId);
        Assert.NotEqual(claimed[0].LockToken, job.LockToken);
        Assert.Equal(1, job.Attempts);
        Assert.False(await Queue.MarkPublishStartedAsync(claimed[0], DateTimeOffset.UtcNow, Ct), "the dead worker's token is fenced off");
        Assert.True(await Queue.MarkPublishStartedAsync(job, DateTimeOffset.UtcNow, Ct));
        Assert.True(await Queue.MarkPublishStartedAsync(healthy[0], DateTimeOffset.UtcNow, Ct));
    }
}
