using MySqlConnector;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>What the queue's SQL classes share: an open connection on the configured database, and UTC instants.</summary>
internal static class QueueConnections
{
    public static async Task<MySqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>A <c>DATETIME(6)</c> read back as the UTC instant it was written as.</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
