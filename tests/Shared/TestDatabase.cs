using MySqlConnector;
using Respawn;
using Respawn.Graph;

namespace Scheduler.Tests.Database;

/// <summary>
/// The suites' databases, one per suite, on the server build/test.sh provides: SCHEDULER_TEST_DB (a connection
/// string), else the local server build/db.sh starts. Each suite creates its database empty and Respawn empties it
/// between tests. SCHEDULER_TEST_RUN (set by build/test.sh) suffixes the names, so runs side by side never share one.
/// </summary>
public static class TestDatabase
{
    public static string ConnectionString(string database) =>
        new MySqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("SCHEDULER_TEST_DB")
            ?? "Server=127.0.0.1;Port=3306;Database=scheduler_test;User=scheduler;Password=scheduler")
        {
            Database = Environment.GetEnvironmentVariable("SCHEDULER_TEST_RUN") is { Length: > 0 } run ? $"{database}_{run}" : database,
            GuidFormat = MySqlGuidFormat.Binary16,
        }.ConnectionString;

    public static async Task RecreateAsync(string database)
    {
        var target = new MySqlConnectionStringBuilder(ConnectionString(database));
        var name = target.Database;
        target.Database = string.Empty;
        await using var connection = new MySqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Empties every table but the migration history and the Data Protection key ring.</summary>
    public static async Task<Respawner> CreateRespawnerAsync(string database)
    {
        var connectionString = ConnectionString(database);
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        return await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.MySql,
            SchemasToInclude = [new MySqlConnectionStringBuilder(connectionString).Database],
            TablesToIgnore = [new Table("__EFMigrationsHistory"), new Table("data_protection_keys")],
        });
    }

    public static async Task ResetAsync(Respawner respawner, string database)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await respawner.ResetAsync(connection);
    }
}
