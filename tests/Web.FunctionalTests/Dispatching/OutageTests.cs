using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using MySqlConnector;

namespace Scheduler.Web.FunctionalTests.Dispatching;

/// <summary>
/// The database goes away in the middle of a drain: a MariaDB of this test's own (build/db.sh with its own data
/// folder and port, so the other suites' server stays up) is stopped for several seconds while a worker process
/// publishes, then started again. Nothing may be lost, nothing published twice, and the posts caught by the outage
/// must leave seconds after the database is back, not after a ten-minute lease.
/// </summary>
[Trait("Isolation", "processes")]
public sealed class OutageTests
{
    private const int Posts = 1_500;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly int _port = 3317 + (Environment.ProcessId % 50);
    private readonly int _apiPort = 5710 + (Environment.ProcessId % 50);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"scheduler-outage-db-{Environment.ProcessId}");

    private ProcessDatabase Database => new(ConnectionString);

    private string ConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)_port,
        Database = "scheduler_outage",
        UserID = "scheduler",
        Password = "scheduler",
        GuidFormat = MySqlGuidFormat.Binary16,
    }.ConnectionString;

    [Fact]
    public async Task ADatabaseOutageDuringADrainAndApiTraffic_LosesNothing_PublishesNothingTwice_Answers503_AndEndsSecondsAfterTheDatabaseIsBack()
    {
        await DatabaseAsync("start");
        var worker = new WorkerProcess("outage-worker", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Scheduler"] = ConnectionString,
            ["Scheduler__Roles"] = "worker",
            ["Publishing__Mode"] = "Sandbox",
            ["Sandbox__LatencyMs"] = "20",
            ["Dispatcher__MaxAttempts"] = "10",
            ["Auth__SigningKey"] = SchedulerFactory.SigningKey,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var api = new WorkerProcess("outage-api", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_apiPort}",
            ["ConnectionStrings__Scheduler"] = ConnectionString,
            ["Scheduler__Roles"] = "api",
            ["Database__MigrateOnStartup"] = "false",
            ["Auth__SigningKey"] = SchedulerFactory.SigningKey,
            ["Auth__Issuer"] = SchedulerFactory.Issuer,
            ["Auth__Audience"] = SchedulerFactory.Audience,
            ["RateLimiting__Enabled"] = "false",
            // A live-mode API would ask the real platform about the pasted token: this machine has no way out.
            ["Accounts__VerifyPastedTokens"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", SchedulerFactory.Token(new System.Security.Claims.Claim("company_id", Guid.CreateVersion7().ToString())));
        var acknowledged = new List<Guid>();
        try
        {
            await ExecuteAsync("DROP DATABASE IF EXISTS scheduler_outage; CREATE DATABASE scheduler_outage CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;", database: false);
            worker.Start();
            await ProcessDatabase.WaitUntilAsync(Database.IsMigratedAsync, TimeSpan.FromSeconds(90));
            await SeedAsync();
            api.Start();
            await ProcessDatabase.WaitUntilAsync(async () => await ReadyAsync(http) == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            var account = (await ReadJsonAsync(await http.PostAsJsonAsync(
                "/social-accounts", new { platform = "facebook", externalAccountId = "api-page", displayName = "API", accessToken = "t" }, Ct), HttpStatusCode.Created))
                .GetProperty("id").GetGuid();
            acknowledged.Add(await ScheduleThroughApiAsync(http, account));

            await ProcessDatabase.WaitUntilAsync(async () => await Database.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'") >= 100,
                TimeSpan.FromSeconds(60));
            await DatabaseAsync("stop");

            // While the database is away: 503 with Retry-After and a problem document, never a 500 or a stack trace.
            var during = await Task.WhenAll(
                http.GetAsync("/scheduled-posts", Ct),
                http.PostAsJsonAsync("/schedule-post", new { socialAccountId = account, content = "during", runAt = DateTimeOffset.UtcNow.AddDays(1) }, Ct));
            foreach (var answer in during)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
                var body = await answer.Content.ReadAsStringAsync(Ct);
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(http));
            await Task.Delay(Outage, Ct);
            await DatabaseAsync("start");
            var back = DateTime.UtcNow;
            await ProcessDatabase.WaitUntilAsync(async () => await ReadyAsync(http) == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            acknowledged.Add(await ScheduleThroughApiAsync(http, account));

            await ProcessDatabase.WaitUntilAsync(
                async () => await Database.CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status <> 'done' AND run_at < UTC_TIMESTAMP(6)") == 0,
                TimeSpan.FromSeconds(150));

            // Every write acknowledged with a 2xx is there; the one refused during the outage is not.
            foreach (var id in acknowledged)
            {
                Assert.Equal(1, await Database.CountAsync($"SELECT COUNT(*) FROM post_details WHERE id = UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')"));
            }

            Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM post_details WHERE content = 'during'"));
            var drainedAfter = DateTime.UtcNow - back;

            Assert.Equal(Posts, await Database.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'"));
            Assert.Equal(Posts, await Database.CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
            Assert.Equal(Posts, await Database.CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications WHERE outcome = 'published'"));
            Assert.Equal(Posts, await Database.CountAsync("""
                SELECT COUNT(*) FROM post_details d JOIN sandbox_publications p ON p.post_id = d.id AND p.outcome = 'published'
                WHERE d.external_post_id = p.external_post_id
                """));
            var lastPublished = await Database.CountAsync("SELECT UNIX_TIMESTAMP(MAX(published_at)) FROM post_details");
            var lateAfterBack = lastPublished - new DateTimeOffset(back).ToUnixTimeSeconds();
            TestContext.Current.SendDiagnosticMessage(
                $"Outage test: {Outage.TotalSeconds:0} s outage; the last post was published {lateAfterBack} s after the database came back (queue empty {drainedAfter.TotalSeconds:0.0} s after).");
            Assert.True(lateAfterBack <= 45, $"the last post left {lateAfterBack} s after the database came back; the target is 45 s");
        }
        finally
        {
            api.Dispose();
            worker.Dispose();
            await DatabaseAsync("stop");
        }
    }

    private static async Task<HttpStatusCode> ReadyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/ready", Ct)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable; // the API process is not listening yet
        }
    }

    private static async Task<Guid> ScheduleThroughApiAsync(HttpClient http, Guid account) =>
        (await ReadJsonAsync(await http.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = account, content = "through the API", runAt = DateTimeOffset.UtcNow.AddDays(1) }, Ct), HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    private static async Task<System.Text.Json.JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The account through the real command (its token encrypted with the key ring), the posts in bulk.</summary>
    private async Task SeedAsync()
    {
        await Database.ConnectPagesAsync("Outage test", 30);

        await ExecuteAsync($"""
            CREATE TEMPORARY TABLE seed_accounts (n INT PRIMARY KEY, id BINARY(16));
            INSERT INTO seed_accounts SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM social_accounts;
            SET STATEMENT max_recursive_iterations = {Posts + 1} FOR
            INSERT INTO post_details (id, company_id, client_id, social_account_id, platform, content, media, link, status, run_at, created_at, updated_at)
            WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {Posts - 1})
            SELECT UNHEX(REPLACE(UUID(), '-', '')), a2.company_id, NULL, a.id, 'facebook', CONCAT('outage ', seq.n), '[]', NULL,
                   'pending', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM seq JOIN seed_accounts a ON a.n = seq.n % 30 JOIN social_accounts a2 ON a2.id = a.id;
            INSERT INTO post_schedule (id, post_detail_id, social_account_id, run_at, next_attempt_at, status, attempts, max_attempts,
                                       recoveries, created_at, updated_at)
            SELECT UNHEX(REPLACE(UUID(), '-', '')), id, social_account_id, run_at, run_at, 'pending', 0, 10, 0,
                   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM post_details;
            {Scheduler.Infrastructure.Persistence.Queue.PostCounts.RecountSql}
            """);
    }

    /// <summary>build/db.sh on this test's own data folder and port.</summary>
    private async Task DatabaseAsync(string verb)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(Root, "build", "db.sh"), verb])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["SCHEDULER_DB_DIR"] = _dataDir;
        info.Environment["SCHEDULER_DB_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("build/db.sh did not start.");
        var output = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"build/db.sh {verb} failed: {await output}");
    }

    private static string Root
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Scheduler.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
        }
    }

    private Task ExecuteAsync(string sql, bool database = true) =>
        new ProcessDatabase(new MySqlConnectionStringBuilder(ConnectionString) { Database = database ? "scheduler_outage" : string.Empty }.ConnectionString)
            .ExecuteAsync(sql);
}
