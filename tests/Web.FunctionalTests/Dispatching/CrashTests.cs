using MySqlConnector;
using Scheduler.Tests.Database;

namespace Scheduler.Web.FunctionalTests.Dispatching;

/// <summary>
/// Three worker processes drain 5,000 due posts while one of them is killed with SIGKILL again and again and
/// restarted, with a short lease so that recovery happens during the run. Every post must be published exactly once,
/// the posts of a multi-account group each on its own account, every occurrence of a recurring post, and every first
/// comment exactly once under its post.
/// </summary>
[Trait("Isolation", "processes")]
public sealed class CrashTests
{
    private const string DatabaseName = "scheduler_crash";
    private const int Posts = 5_000;

    /// <summary>The first posts go out in groups of three, one per account (as one post scheduled on three accounts).</summary>
    private const int GroupedPosts = 300;

    /// <summary>The next posts are the occurrences of recurring posts, ten to a series, as a weekly post's would be.</summary>
    private const int SeriesPosts = 200;

    /// <summary>The next posts carry a first comment.</summary>
    private const int CommentedPosts = 500;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _connectionString = TestDatabase.ConnectionString(DatabaseName);
    private readonly ProcessDatabase _database = new(TestDatabase.ConnectionString(DatabaseName));

    [Fact]
    public async Task WorkersKilledAtRandom_StillPublishEveryPostExactlyOnce()
    {
        await TestDatabase.RecreateAsync(DatabaseName);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Scheduler"] = _connectionString,
            ["Scheduler__Roles"] = "worker",
            ["Publishing__Mode"] = "Sandbox",
            ["Sandbox__LatencyMs"] = "2",
            ["Dispatcher__Cron"] = "* * * * * ?",
            ["Dispatcher__IdlePollSeconds"] = "1",
            ["Dispatcher__LeaseSeconds"] = "3",
            ["Dispatcher__LeaseRenewSeconds"] = "1",
            ["Dispatcher__RunBudgetSeconds"] = "5",
            ["Auth__SigningKey"] = SchedulerFactory.SigningKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var workers = Enumerable.Range(1, 3).Select(i => new WorkerProcess($"worker-{i}", environment)).ToList();
        try
        {
            // The first worker migrates the empty database; the others take turns on the migration lock.
            workers.ForEach(w => w.Start());
            await ProcessDatabase.WaitUntilAsync(_database.IsMigratedAsync, TimeSpan.FromSeconds(60));
            await SeedAsync();

            var drain = System.Diagnostics.Stopwatch.StartNew();
            var random = new Random(20261129);
            var kills = 0;
            while (kills < 6 && await _database.CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status <> 'done'") > 0)
            {
                await Task.Delay(random.Next(400, 1500), Ct);
                var victim = workers[random.Next(workers.Count)];
                victim.Kill();
                kills++;
                await Task.Delay(random.Next(100, 800), Ct);
                victim.Start();
            }

            await ProcessDatabase.WaitUntilAsync(
                async () => await _database.CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status <> 'done'") == 0,
                TimeSpan.FromSeconds(150));

            Assert.True(kills >= 3, $"only {kills} kills happened before the queue drained; the test proves too little");
            Assert.Equal(Posts, await _database.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'"));
            Assert.Equal(0, await _database.CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'processing'"));
            Assert.Equal(Posts, await _database.CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
            Assert.Equal(Posts, await _database.CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications WHERE outcome = 'published'"));
            Assert.Equal(Posts, await _database.CountAsync("""
                SELECT COUNT(*) FROM post_details d JOIN sandbox_publications p ON p.post_id = d.id AND p.outcome = 'published'
                WHERE d.external_post_id = p.external_post_id
                """));
            Assert.Equal(GroupedPosts / 3, await _database.CountAsync($"""
                SELECT COUNT(*) FROM (
                  SELECT group_id FROM post_details WHERE group_id IS NOT NULL AND status = 'published'
                  GROUP BY group_id HAVING COUNT(*) = 3 AND COUNT(DISTINCT social_account_id) = 3) g
                """));
            Assert.Equal(SeriesPosts / 10, await _database.CountAsync("""
                SELECT COUNT(*) FROM (
                  SELECT series_id FROM post_details WHERE series_id IS NOT NULL AND status = 'published'
                  GROUP BY series_id HAVING COUNT(*) = 10) s
                """));
            Assert.Equal(CommentedPosts, await _database.CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'comment'"));
            Assert.Equal(CommentedPosts, await _database.CountAsync("""
                SELECT COUNT(*) FROM post_details d JOIN sandbox_publications c ON c.post_id = d.id AND c.outcome = 'comment'
                WHERE d.first_comment_status = 'published' AND d.first_comment_id = c.external_post_id
                """));
            var recovered = await _database.CountAsync("SELECT COUNT(*) FROM post_schedule WHERE attempts > 1");
            TestContext.Current.SendDiagnosticMessage(
                $"Crash test: {kills} SIGKILLs, {recovered} posts needed more than one attempt, {Posts} published once each, drained in {drain.Elapsed.TotalSeconds:F1} s.");
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>The account through the real command (its token encrypted with the shared key ring), the posts in bulk.</summary>
    private async Task SeedAsync()
    {
        var accounts = (await _database.ConnectPagesAsync("Crash test", 3)).ToList();
        Assert.Equal(3, accounts.Count);

        await _database.ExecuteAsync($"""
            SET STATEMENT max_recursive_iterations = {Posts + 1} FOR
            INSERT INTO post_details (id, company_id, client_id, social_account_id, group_id, series_id, platform, content, media, link, status, run_at,
                                      first_comment, first_comment_status, created_at, updated_at)
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {Posts})
            SELECT UNHEX(REPLACE(UUID(), '-', '')), a.company_id, NULL, a.id,
                   IF(seq.n <= {GroupedPosts}, UNHEX(MD5(CONCAT('group ', (seq.n - 1) DIV 3))), NULL),
                   IF(seq.n > {GroupedPosts} AND seq.n <= {GroupedPosts + SeriesPosts}, UNHEX(MD5(CONCAT('series ', (seq.n - 1) DIV 10))), NULL),
                   'facebook', CONCAT('crash ', n), '[]', NULL, 'pending', UTC_TIMESTAMP(6),
                   IF(seq.n > {GroupedPosts + SeriesPosts} AND seq.n <= {GroupedPosts + SeriesPosts + CommentedPosts}, CONCAT('comment ', n), NULL),
                   IF(seq.n > {GroupedPosts + SeriesPosts} AND seq.n <= {GroupedPosts + SeriesPosts + CommentedPosts}, 'pending', NULL),
                   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM seq
            JOIN (SELECT 0 AS k, {Hex(accounts[0])} AS id UNION ALL SELECT 1, {Hex(accounts[1])} UNION ALL SELECT 2, {Hex(accounts[2])}) acc
              ON acc.k = IF(seq.n <= {GroupedPosts}, seq.n % 3, 0)
            JOIN social_accounts a ON a.id = acc.id;
            INSERT INTO post_schedule (id, post_detail_id, social_account_id, run_at, next_attempt_at, status, attempts, max_attempts,
                                       recoveries, created_at, updated_at)
            SELECT UNHEX(REPLACE(UUID(), '-', '')), id, social_account_id, run_at, run_at, 'pending', 0, 10, 0,
                   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM post_details;
            {Scheduler.Infrastructure.Persistence.Queue.PostCounts.RecountSql}
            """);
    }

    private static string Hex(Guid id) => $"UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')";
}
