using MySqlConnector;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Scheduler.Bench;

/// <summary>
/// Quartz.NET used naively as a post scheduler: one durable job and one trigger per post in its clustered ADO.NET job
/// store on the same MariaDB, the default thread pool (10), each job publishing its post the way the original design
/// did (one transaction, sandbox record). Measured like a burst: every trigger due at one instant, the scheduler's start.
/// </summary>
internal sealed class QuartzPeer(BenchDatabase db)
{
    public async Task<Result> RunAsync(int posts)
    {
        await db.RecreateAsync();
        await db.SeedAccountsAsync(1);
        await db.SeedPostsAsync(posts, DateTimeOffset.UtcNow.AddYears(50));
        var ids = await db.PostIdsAsync();
        PublishPostJob.ConnectionString = db.ConnectionString;

        // Quartz's defaults, its own schema provisioning, clustering on: what a team reaching for it would write.
        var services = new ServiceCollection().AddLogging();
        services.AddQuartz(quartz =>
        {
            quartz.UseDefaultThreadPool(10);
            quartz.UsePersistentStore(store =>
            {
                store.UseMySqlConnector(db.ConnectionString);
                store.UseClustering();
                store.ProvisionSchema();
            });
        });
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();

        // Stored while the scheduler stands by, each due from the moment storing began: when it starts, every trigger is
        // due at once (Quartz fires triggers up to its 60 s misfire threshold late as if on time), and lateness counts
        // from the start. The scheduler's start itself (a cluster check-in) is then in the figure: tens of milliseconds.
        var storing = DateTimeOffset.UtcNow;
        foreach (var id in ids)
        {
            var job = JobBuilder.Create<PublishPostJob>().WithIdentity(id.ToString("N")).UsingJobData("post", id.ToString()).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(id.ToString("N")).StartAt(storing).Build();
            await scheduler.ScheduleJob(job, trigger);
        }

        var dueAt = DateTimeOffset.UtcNow;
        if (dueAt - storing > TimeSpan.FromSeconds(50))
        {
            throw new InvalidOperationException("peer-quartz: storing the triggers took close to Quartz's misfire threshold; store fewer.");
        }

        await db.ScheduleAtAsync(dueAt);
        await scheduler.Start();
        try
        {
            await Wait.UntilAsync(
                async () => await db.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'pending'") == 0,
                TimeSpan.FromSeconds(60 + posts), "peer-quartz draining");
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        var calls = await db.CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications");
        if (calls != posts)
        {
            throw new InvalidOperationException($"peer-quartz: {calls} of {posts} posts published");
        }

        var lateness = await db.LatenessSecondsAsync();
        return new Result("peer-quartz", "Quartz.NET, one trigger per post", [
            ("posts/s", posts / Math.Max(lateness[^1], 0.001), "posts/s"),
            ("p50", Percentiles.Of(lateness, 50), "s"),
            ("p99", Percentiles.Of(lateness, 99), "s"),
        ]);
    }

    /// <summary>Publishes one post: sandbox record, post published, queue row done, in one transaction.</summary>
    public sealed class PublishPostJob : IJob
    {
        public static string ConnectionString { get; set; } = string.Empty;

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var post = Guid.Parse(context.MergedJobDataMap.GetString("post")!);
            await using var connection = new MySqlConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new MySqlCommand(
                """
                INSERT INTO sandbox_publications (post_id, social_account_id, platform, attempt, lock_token, outcome, external_post_id, created_at)
                  SELECT d.id, d.social_account_id, 'facebook', 1, d.id, 'published', CONCAT('quartz-', HEX(d.id)), UTC_TIMESTAMP(6)
                  FROM post_details d WHERE d.id = @post;
                UPDATE post_details SET status = 'published', external_post_id = CONCAT('quartz-', HEX(id)),
                  published_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6) WHERE id = @post;
                UPDATE post_schedule SET status = 'done', attempts = 1, updated_at = UTC_TIMESTAMP(6) WHERE post_detail_id = @post;
                """,
                connection, transaction);
            command.Parameters.AddWithValue("@post", post);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
