using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Scheduler.Bench;

/// <summary>
/// The operator's and the dashboard's reads with a large table: one company holding <c>posts</c> posts (80 % published
/// over the last day, 5 % failed, the rest pending later) and a day of per-minute rollups; each read timed one request
/// at a time against one api-role node.
/// </summary>
internal sealed class DashboardLoad(BenchDatabase db)
{
    private const int Port = 5098;

    public async Task<Result> RunAsync(string name, int posts)
    {
        await db.RecreateAsync();
        await db.SeedAccountsAsync(50);
        var seeding = Stopwatch.StartNew();
        await db.SeedPostsAsync(posts, DateTimeOffset.UtcNow.AddDays(2), TimeSpan.FromSeconds(1));
        await db.ExecuteAsync(
            $"""
            UPDATE post_details d JOIN post_schedule s ON s.post_detail_id = d.id
              SET d.status = 'published', s.status = 'done', d.external_post_id = CONCAT('p', CONV(LEFT(HEX(d.id), 8), 16, 10)),
                  d.published_at = UTC_TIMESTAMP(6) - INTERVAL (CONV(LEFT(HEX(d.id), 8), 16, 10) % 86400) SECOND,
                  s.run_at = UTC_TIMESTAMP(6) - INTERVAL (CONV(LEFT(HEX(d.id), 8), 16, 10) % 86400 + 2) SECOND,
                  d.run_at = s.run_at
              WHERE CONV(LEFT(HEX(d.id), 8), 16, 10) % 100 < 80;
            UPDATE post_details d JOIN post_schedule s ON s.post_detail_id = d.id
              SET d.status = 'failed', s.status = 'failed', d.error_message = 'bench failure', s.attempts = 3,
                  d.updated_at = UTC_TIMESTAMP(6) - INTERVAL (CONV(LEFT(HEX(d.id), 8), 16, 10) % 86400) SECOND
              WHERE CONV(LEFT(HEX(d.id), 8), 16, 10) % 100 BETWEEN 80 AND 84;
            SET STATEMENT max_recursive_iterations = 1500 FOR
            INSERT INTO queue_rollups (company_id, minute, published, failed, retried, due, pending_future, processing, lateness_p50_ms, lateness_p95_ms, lateness_p99_ms)
            WITH RECURSIVE m(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM m WHERE n < 1440)
            SELECT c.id, TIMESTAMP(DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:00')) - INTERVAL m.n MINUTE, 555, 28, 3, 0, {posts / 10}, 0, 2100, 4200, 9800
            FROM m CROSS JOIN (SELECT {BenchDatabase.Hex(db.CompanyId)} AS id UNION ALL SELECT UNHEX(REPEAT('0', 32))) c;
            {Scheduler.Infrastructure.Persistence.Queue.PostCounts.RecountSql}
            ANALYZE TABLE post_details, post_schedule, post_attempts, queue_rollups;
            """);
        // The bulk updates leave a million old row versions for InnoDB to purge; measured during that, the reads would
        // time the purge. Production tables are not rewritten wholesale: wait for it (at most two minutes)…
        for (var waited = 0; waited < 120 && await db.CountAsync(
                 "SELECT variable_value FROM information_schema.global_status WHERE variable_name = 'INNODB_HISTORY_LIST_LENGTH'") > 1_000; waited++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // …and for the pages it dirtied to reach the disk, which otherwise runs beside the reads (at most two minutes).
        for (var waited = 0; waited < 120 && await db.CountAsync(
                 "SELECT variable_value FROM information_schema.global_status WHERE variable_name = 'INNODB_BUFFER_POOL_PAGES_DIRTY'") > 1_000; waited++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        seeding.Stop();
        Console.WriteLine($"  seeded {posts:N0} posts in {seeding.Elapsed.TotalSeconds:0} s");

        using var node = new Node(db.ConnectionString, "api", new Dictionary<string, string>(), Port);
        node.Start();
        await node.WaitLiveAsync(TimeSpan.FromSeconds(60));
        using var company = Client(ApiLoad.Token($"\"company_id\":\"{db.CompanyId}\""));
        using var operatorClient = Client(ApiLoad.Token("\"role\":\"operator\""));
        var now = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        var reads = new (string Label, HttpClient Client, string Path)[]
        {
            ("queue-health", company, "/queue/health"),
            ("charts-day", company, "/queue/charts?window=day"),
            ("chart-svg-day", company, "/queue/charts/depth.svg?window=day"),
            ("failed-page", company, "/scheduled-posts?status=failed&limit=50"),
            ("due-page", company, $"/scheduled-posts?status=pending&dueBy={now}&limit=50"),
            ("operator-health", operatorClient, "/operator/queue/health"),
            ("operator-failed", operatorClient, "/operator/posts?status=failed&limit=50"),
        };
        var figures = await TimedReads.MeasureAsync(name, reads);
        return new Result(name, $"{posts:N0} posts", figures);
    }

    private static HttpClient Client(string token) => TimedReads.Client(Port, token);
}
