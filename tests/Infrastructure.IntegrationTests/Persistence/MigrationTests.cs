using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Tests.Database;
using Scheduler.Infrastructure.Persistence;
using Scheduler.Infrastructure.Persistence.Configurations;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

public sealed class MigrationTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task Migrations_AppliedToAnEmptyDatabase_LeaveNothingPendingAndMatchTheModel()
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures.");
        foreach (var table in new[] { "companies", "clients", "social_accounts", "post_details", "post_schedule", "data_protection_keys" })
        {
            Assert.Equal(1, await CountAsync(
                $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"));
        }
    }

    [Fact]
    public async Task Migrations_KeepTheDatabaseCollationUnicode()
    {
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = DATABASE() AND default_collation_name = 'utf8mb4_unicode_ci'"));
        Assert.Equal(0, await CountAsync(
            """
            SELECT COUNT(*) FROM information_schema.columns
            WHERE table_schema = DATABASE() AND table_name <> '__EFMigrationsHistory'
              AND collation_name IS NOT NULL AND collation_name <> 'utf8mb4_unicode_ci'
              AND NOT (collation_name = 'utf8mb4_bin' AND column_name IN ('media', 'posting_slots')) -- MariaDB's JSON is binary-collated
              AND NOT (collation_name = 'utf8mb4_bin' AND column_name = 'idempotency_key') -- keys compare exactly
            """));
    }

    [Theory]
    [InlineData(PostScheduleIndexes.Claim, "status,next_attempt_at,id,social_account_id")]
    [InlineData(PostScheduleIndexes.Recovery, "status,lease_expires_at")]
    public async Task Migrations_CreateTheQueueIndexesInTheirColumnOrder(string index, string columns)
    {
        Assert.Equal(1, await CountAsync($"""
            SELECT COUNT(*) FROM (
              SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols FROM information_schema.statistics
              WHERE table_schema = DATABASE() AND table_name = 'post_schedule' AND index_name = '{index}') i
            WHERE i.cols = '{columns}'
            """));
    }

    [Fact]
    public async Task Ids_AreCompactBinaryAndTimesKeepMicroseconds()
    {
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'post_details' AND column_name = 'id' AND column_type = 'binary(16)'"));
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'post_schedule' AND column_name = 'run_at' AND column_type = 'datetime(6)'"));
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'post_schedule' AND column_name = 'next_attempt_at' AND column_type = 'datetime(6)'"));
    }

    [Fact]
    public async Task TheStreamingDispatcherMigration_CarriesExistingQueueRowsOver()
    {
        const string name = "scheduler_migrate";
        await TestDatabase.RecreateAsync(name);
        var connectionString = TestDatabase.ConnectionString(name);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DatabaseFixture.Settings(connectionString))
            .Build();
        await using var services = DatabaseFixture.BuildServices(configuration);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().GetService<IMigrator>()
                .MigrateAsync("20261129092354_InitialSchema", Ct);
        }

        var company = Guid.CreateVersion7();
        var account = Guid.CreateVersion7();
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var insert = new MySqlCommand($"""
                INSERT INTO companies (id, name, created_at) VALUES ({Hex(company)}, 'Old', UTC_TIMESTAMP(6));
                INSERT INTO social_accounts (id, company_id, platform, external_account_id, display_name, access_token_encrypted,
                                             status, created_at, updated_at)
                VALUES ({Hex(account)}, {Hex(company)}, 'facebook', 'p', 'P', 'x', 'active', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
                {QueueSeedSql(company, account)}
                """, connection);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await DatabaseMigrator.MigrateAsync(services, Ct);

        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var check = new MySqlCommand($"""
                SELECT COUNT(*) FROM post_schedule
                WHERE next_attempt_at = run_at AND social_account_id = {Hex(account)} AND recoveries = 0
                """, connection);
            Assert.Equal(3L, Convert.ToInt64(await check.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        }

        // The post's time is copied to the post, and the posts already there are counted.
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var check = new MySqlCommand(
                "SELECT COUNT(*) FROM post_details d JOIN post_schedule s ON s.post_detail_id = d.id WHERE d.run_at = s.run_at", connection);
            Assert.Equal(3L, Convert.ToInt64(await check.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        }

        var counted = await services.GetRequiredService<Scheduler.Application.Queue.IPostCounts>().ReadAsync(company, Ct);
        Assert.Equal([new Scheduler.Application.Queue.PostCountRow(company, Platform.Facebook, PostStatus.Pending, 3)], counted);

        // Media stored as plain URLs before media had kinds and alternative text read as media items; old posts are feed posts.
        await using (var scope = services.CreateAsyncScope())
        {
            var old = await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().Posts
                .SingleAsync(p => p.Content == "old 1", Ct);
            Assert.Equal([new PostMedia("https://cdn.example/old.jpg", MediaKind.Image)], old.Media);
            Assert.Equal(PostFormat.Post, old.Format);
        }
    }

    /// <summary>Three posts in the first schema's columns (before next_attempt_at existed).</summary>
    private static string QueueSeedSql(Guid company, Guid account) => $"""
        INSERT INTO post_details (id, company_id, social_account_id, platform, content, media_urls, status, created_at, updated_at)
        SELECT UNHEX(REPLACE(UUID(), '-', '')), {Hex(company)}, {Hex(account)}, 'facebook', CONCAT('old ', seq),
               IF(seq = 1, '["https://cdn.example/old.jpg"]', '[]'), 'pending',
               UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
        FROM (SELECT 1 AS seq UNION ALL SELECT 2 UNION ALL SELECT 3) s;
        INSERT INTO post_schedule (id, post_detail_id, run_at, status, attempts, max_attempts, created_at, updated_at)
        SELECT UNHEX(REPLACE(UUID(), '-', '')), id, UTC_TIMESTAMP(6) + INTERVAL 1 HOUR, 'pending', 0, 3, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
        FROM post_details;
        """;

    private static string Hex(Guid id) => $"UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')";

    [Fact]
    public async Task Migrator_RunTwiceAtOnce_IsSafe()
    {
        await Task.WhenAll(DatabaseMigrator.MigrateAsync(Database.Services, Ct), DatabaseMigrator.MigrateAsync(Database.Services, Ct));
        await using var scope = Database.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().Database.GetPendingMigrationsAsync(Ct));
    }
}

internal static class PostScheduleIndexes
{
    public const string Claim = PostScheduleConfiguration.ClaimIndex;
    public const string Recovery = PostScheduleConfiguration.RecoveryIndex;
}
