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

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task TheClaim_IsServedByTheStatusNextAttemptAtIdIndex(int busyAccounts)
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2_000, dueInSeconds: -5));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2_000, dueInSeconds: 3600));

        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var explain = new MySqlCommand("EXPLAIN " + SqlJobQueue.ClaimSql(busyAccounts), connection);
        explain.Parameters.AddWithValue("@limit", 50);
        for (var i = 0; i < busyAccounts; i++)
        {
            explain.Parameters.AddWithValue($"@busy{i}", Guid.CreateVersion7());
        }

        await using var reader = await explain.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(PostScheduleConfiguration.ClaimIndex, reader.GetString(reader.GetOrdinal("key")));
        Assert.NotEqual("ALL", reader.GetString(reader.GetOrdinal("type")));
    }

    [Fact]
    public async Task TheClaim_PassesOverBusyAccounts_AndTakesAtMostPerAccountOfEach()
    {
        var company = Guid.CreateVersion7();
        var busy = await ConnectAsync(company, externalId: "busy");
        var first = await ConnectAsync(company, externalId: "first");
        var second = await ConnectAsync(company, externalId: "second");
        await ExecuteAsync(QueueSeed.Posts(company, busy.Id, 5, dueInSeconds: -60, tag: "busy"));
        await ExecuteAsync(QueueSeed.Posts(company, first.Id, 5, dueInSeconds: -30, tag: "first"));
        await ExecuteAsync(QueueSeed.Posts(company, second.Id, 5, dueInSeconds: -10, tag: "second"));

        var jobs = await Queue.ClaimDueAsync(new ClaimRequest("w", 10, TimeSpan.FromMinutes(1), [busy.Id], PerAccount: 2), Ct);

        Assert.Equal(4, jobs.Count);
        Assert.Equal(2, jobs.Count(j => j.SocialAccountId == first.Id));
        Assert.Equal(2, jobs.Count(j => j.SocialAccountId == second.Id));
        Assert.All(jobs, j => Assert.Equal(1, j.Attempts));
        Assert.Equal(11, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0 AND lock_token IS NULL"));
    }

    [Fact]
    public async Task TheClaim_BringsWhatThePublishNeeds()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1, tag: "content"));

        var job = Assert.Single(await Queue.ClaimDueAsync("w", 5, TimeSpan.FromMinutes(1), Ct));

        Assert.Equal("content 1", job.Content.Text);
        Assert.Empty(job.Content.Media.Select(m => m.Url));
        Assert.Equal(account.ExternalAccountId, job.Account.ExternalAccountId);
        Assert.True(job.Account.IsActive);
        Assert.NotEqual("token-page-1", job.Account.AccessTokenEncrypted);
        Assert.Equal(job.ClaimedAt, job.PublishStartedAt);
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
    public async Task TakeOverExpired_TakesOnlyExpiredLeases_UnderANewTokenWithoutSpendingAnAttempt()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -5));
        var claimed = await Queue.ClaimDueAsync("dead-worker", 1, TimeSpan.FromMilliseconds(200), Ct);
        var healthy = await Queue.ClaimDueAsync("live-worker", 1, TimeSpan.FromMinutes(10), Ct);
        await Task.Delay(400, Ct);

        var reclaimed = await Queue.TakeOverExpiredAsync("rescuer", 10, TimeSpan.FromMinutes(10), Ct);

        var job = Assert.Single(reclaimed);
        Assert.Equal(claimed[0].PostId, job.PostId);
        Assert.NotEqual(claimed[0].LockToken, job.LockToken);
        Assert.Equal(1, job.Attempts);
        Assert.Equal(claimed[0].PublishStartedAt, job.PublishStartedAt);
        var lost = await Queue.RenewLeasesAsync([claimed[0].Hold, job.Hold, healthy[0].Hold], TimeSpan.FromMinutes(5), Ct);
        Assert.Equal([claimed[0].PostId], lost);
    }

    [Fact]
    public async Task RenewLeases_ExtendsOnlyTheRowsStillHeld()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 4, dueInSeconds: -5));
        var jobs = await Queue.ClaimDueAsync("w", 3, TimeSpan.FromSeconds(5), Ct);
        var other = Assert.Single(await Queue.ClaimDueAsync("other", 1, TimeSpan.FromSeconds(5), Ct));

        var lost = await Queue.RenewLeasesAsync(
            [.. jobs.Select(j => j.Hold), new LeaseHold(other.PostId, Guid.NewGuid())], TimeSpan.FromMinutes(10), Ct);

        Assert.Equal([other.PostId], lost);
        Assert.Equal(3, await CountAsync(
            "SELECT COUNT(*) FROM post_schedule WHERE status = 'processing' AND worker_id = 'w' AND lease_expires_at > UTC_TIMESTAMP(6) + INTERVAL 9 MINUTE"));
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM post_schedule WHERE worker_id = 'other' AND lease_expires_at < UTC_TIMESTAMP(6) + INTERVAL 1 MINUTE"));
    }
}
