using MySqlConnector;
using Respawn;
using Respawn.Graph;

namespace Scheduler.Tests.Database;

/// <summary>
/// The suites' databases, one per suite, on the server build/test.sh provides: SCHEDULER_TEST_DB (a connection
/// string), else the local server build/db.sh starts. Each suite creates its database empty and Respawn empties it
/// between tests.
/// </summary>
public static class TestDatabase
{
    public static string ConnectionString(string database) =>
        new MySqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("SCHEDULER_TEST_DB")
            ?? "Server=127.0.0.1;Port=3306;Database=scheduler_test;User=scheduler;Password=scheduler")
        {
            Database = database,
            GuidFormat = MySqlGuidFormat.Binary16,
        }.ConnectionString;

    public static async Task RecreateAsync(string database)
    {
        var server = new MySqlConnectionStringBuilder(ConnectionString(database)) { Database = string.Empty };
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Empties every table but the migration history and the Data Protection key ring.</summary>
    public static async Task<Respawner> CreateRespawnerAsync(string database)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        return await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.MySql,
            SchemasToInclude = [database],
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
