using System.Globalization;
using MySqlConnector;

namespace Scheduler.Web.FunctionalTests.Dispatching;

/// <summary>The database that worker processes of a test share, read and written directly in SQL.</summary>
internal sealed class ProcessDatabase(string connectionString)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string ConnectionString => connectionString;

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout.TotalSeconds} s");
            await Task.Delay(250, Ct);
        }
    }

    /// <summary>The schema is there: the worker that migrates it has finished.</summary>
    public async Task<bool> IsMigratedAsync() =>
        await CountAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '__EFMigrationsHistory'") == 1
        && await CountAsync("SELECT COUNT(*) FROM __EFMigrationsHistory") >= 2;
}
