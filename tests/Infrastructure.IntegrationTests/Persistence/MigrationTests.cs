using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
              AND NOT (collation_name = 'utf8mb4_bin' AND column_name = 'media_urls') -- MariaDB's JSON is binary-collated
            """));
    }

    [Theory]
    [InlineData(PostScheduleIndexes.Claim, "status,run_at,id")]
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
    }

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
