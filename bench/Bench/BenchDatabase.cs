using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Bench;

/// <summary>The benchmark's own database on the local server: recreated per scenario, seeded in bulk with SQL.</summary>
internal sealed class BenchDatabase(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public Guid CompanyId { get; private set; }

    public IReadOnlyList<Guid> Accounts { get; private set; } = [];

    private bool _created;

    /// <summary>
    /// An empty, migrated database: created and migrated once per run, then emptied table by table (the migration
    /// history and the Data Protection key ring stay).
    /// </summary>
    public async Task RecreateAsync()
    {
        if (_created)
        {
            await EmptyTablesAsync();
            return;
        }

        _created = true;
        var target = new MySqlConnectionStringBuilder(ConnectionString);
        var name = target.Database;
        target.Database = string.Empty;
        await using (var connection = new MySqlConnection(target.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand(
                $"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
                connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var provider = Services();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().Database.MigrateAsync();
    }

    private async Task EmptyTablesAsync()
    {
        var tables = new List<string>();
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var list = new MySqlCommand(
            """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_name NOT IN ('__EFMigrationsHistory', 'data_protection_keys')
            """,
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        await using var truncate = new MySqlCommand(
            "SET FOREIGN_KEY_CHECKS = 0; " + string.Concat(tables.Select(t => $"TRUNCATE TABLE `{t}`; ")) + "SET FOREIGN_KEY_CHECKS = 1;",
            connection);
        await truncate.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// One account made through the real command (its token encrypted with the database's key ring), cloned in SQL
    /// to <paramref name="count"/> accounts of the same company.
    /// </summary>
    public async Task SeedAccountsAsync(int count)
    {
        await using var provider = Services();
        await using var scope = provider.CreateAsyncScope();
        CompanyId = Guid.CreateVersion7();
        await scope.ServiceProvider.UseCompanyAsync(CompanyId, "Benchmark");
        var first = await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new ConnectSocialAccountCommand(Platform.Facebook, "bench-0", "Bench 0", "bench-token"));
        if (count > 1)
        {
            await ExecuteAsync($"""
                SET STATEMENT max_recursive_iterations = {count + 1} FOR
                INSERT INTO social_accounts (id, company_id, client_id, platform, external_account_id, display_name,
                       access_token_encrypted, token_expires_at, status, status_reason, created_at, updated_at)
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count - 1})
                SELECT UNHEX(REPLACE(UUID(), '-', '')), a.company_id, NULL, a.platform, CONCAT('bench-', n), CONCAT('Bench ', n),
                       a.access_token_encrypted, NULL, a.status, NULL, a.created_at, a.updated_at
                FROM seq CROSS JOIN social_accounts a WHERE a.id = {Hex(first.Account.Id)}
                """);
        }

        Accounts = await GuidsAsync("SELECT id FROM social_accounts ORDER BY external_account_id");
    }

    /// <summary>
    /// <paramref name="count"/> pending posts spread round-robin over the accounts, all due at <paramref name="runAt"/>
    /// (or spread from it by <paramref name="spacing"/> each), inserted in one statement per table.
    /// </summary>
    public async Task SeedPostsAsync(int count, DateTimeOffset runAt, TimeSpan spacing = default, int maxAttempts = 3)
    {
        var accounts = Accounts.Count;
        await ExecuteAsync($"""
            DROP TEMPORARY TABLE IF EXISTS bench_accounts;
            CREATE TEMPORARY TABLE bench_accounts (n INT PRIMARY KEY, id BINARY(16));
            INSERT INTO bench_accounts (n, id)
              SELECT ROW_NUMBER() OVER (ORDER BY external_account_id) - 1, id FROM social_accounts;
            SET STATEMENT max_recursive_iterations = {count + 1} FOR
            INSERT INTO post_details (id, company_id, client_id, social_account_id, platform, content, media, link, status, run_at, created_at, updated_at)
            WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {count - 1})
            SELECT UNHEX(CONCAT(LPAD(HEX(seq.n), 8, '0'), REPLACE(SUBSTRING(UUID(), 10), '-', ''))), {Hex(CompanyId)}, NULL, a.id,
                   'facebook', CONCAT('bench post ', seq.n), '[]', NULL, 'pending',
                   TIMESTAMP('{runAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}') + INTERVAL (seq.n * {(long)(spacing.TotalMilliseconds * 1000)}) MICROSECOND,
                   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM seq JOIN bench_accounts a ON a.n = seq.n % {accounts};
            {ScheduleInsert(maxAttempts)}
            {Scheduler.Infrastructure.Persistence.Queue.PostCounts.RecountSql}
            """);
    }

    /// <summary>The queue rows of the seeded posts; the columns follow the current schema.</summary>
    private static string ScheduleInsert(int maxAttempts) =>
        $"""
            INSERT INTO post_schedule (id, post_detail_id, social_account_id, run_at, next_attempt_at, status, attempts, max_attempts,
                                       recoveries, created_at, updated_at)
            SELECT UNHEX(REPLACE(UUID(), '-', '')), d.id, d.social_account_id, d.run_at, d.run_at, 'pending', 0, {maxAttempts}, 0,
                   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM post_details d LEFT JOIN post_schedule s ON s.post_detail_id = d.id WHERE s.id IS NULL;
            """;

    public async Task<long> CountAsync(string sql) =>
        Convert.ToInt64(await ScalarAsync(sql), CultureInfo.InvariantCulture);

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        return await command.ExecuteScalarAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    public Task<List<Guid>> PostIdsAsync() => GuidsAsync("SELECT id FROM post_details ORDER BY id");

    /// <summary>Seconds from each published post's chosen time to its publication, sorted.</summary>
    public async Task<double[]> LatenessSecondsAsync()
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            $"""
            SELECT TIMESTAMPDIFF(MICROSECOND, s.{ScheduledColumn}, d.published_at) / 1e6
            FROM post_details d JOIN post_schedule s ON s.post_detail_id = d.id
            WHERE d.status = 'published' ORDER BY 1
            """,
            connection) { CommandTimeout = 600 };
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return [.. values];
    }

    /// <summary>
    /// Makes every pending post due at <paramref name="dueAt"/>, or post n at dueAt + n·<paramref name="spacing"/>
    /// (n is the seed order kept in the id's first bytes).
    /// </summary>
    public Task ScheduleAtAsync(DateTimeOffset dueAt, TimeSpan spacing = default)
    {
        var at = $"TIMESTAMP('{dueAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}') + INTERVAL (CONV(LEFT(HEX(post_detail_id), 8), 16, 10) * {(long)(spacing.TotalMilliseconds * 1000)}) MICROSECOND";
        return ExecuteAsync($"UPDATE post_schedule SET run_at = {at}, next_attempt_at = {at}");
    }

    /// <summary>Runs SQL as the server's root over its socket (build/db.sh's layout), for server settings.</summary>
    public static async Task RootSqlAsync(string sql)
    {
        var socket = Path.Combine(Environment.GetEnvironmentVariable("SCHEDULER_DB_DIR") ?? "/var/lib/scheduler-mariadb", "mysqld.sock");
        var info = new System.Diagnostics.ProcessStartInfo("mariadb", [$"--socket={socket}", "-uroot", "-e", sql]) { UseShellExecute = false };
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("mariadb did not start.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb -e \"{sql}\" failed with exit code {process.ExitCode}");
        }
    }

    /// <summary>Posts taken over from a dead worker, and when the last of them was published, in seconds after <paramref name="since"/>.</summary>
    public async Task<(int Count, double Seconds)> RecoveredAfterAsync(DateTimeOffset since)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            """
            SELECT COUNT(DISTINCT d.id), TIMESTAMPDIFF(MICROSECOND, @since, MAX(d.published_at)) / 1e6
            FROM post_details d JOIN post_attempts a ON a.post_detail_id = d.id AND a.outcome = 'recovered'
            """,
            connection);
        command.Parameters.AddWithValue("@since", since.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.IsDBNull(1) ? 0 : Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    /// <summary>The column holding the time the user chose.</summary>
    public const string ScheduledColumn = "run_at";

    private async Task<List<Guid>> GuidsAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Scheduler"] = ConnectionString, ["Publishing:Mode"] = "Sandbox" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddScheduler(configuration);
        return services.BuildServiceProvider();
    }

    public static string Hex(Guid id) => $"UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')";
}
