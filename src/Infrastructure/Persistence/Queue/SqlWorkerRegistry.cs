using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>Worker heartbeats (<c>worker_heartbeats</c>): one row per process, totals since it started.</summary>
public sealed class SqlWorkerRegistry(IConfiguration configuration) : IWorkerRegistry
{
    /// <summary>Rows the queue-health view shows at most.</summary>
    public const int MaxListed = 100;

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public async Task HeartbeatAsync(string workerId, int claimed, int published, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            INSERT INTO worker_heartbeats (worker_id, last_seen_at, claimed, published)
            VALUES (@worker, UTC_TIMESTAMP(6), @claimed, @published)
            ON DUPLICATE KEY UPDATE last_seen_at = UTC_TIMESTAMP(6), claimed = claimed + @claimed, published = published + @published
            """,
            connection);
        command.Parameters.AddWithValue("@worker", workerId);
        command.Parameters.AddWithValue("@claimed", claimed);
        command.Parameters.AddWithValue("@published", published);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WorkerStatus>> WorkersAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"""
            SELECT worker_id, last_seen_at, claimed, published FROM worker_heartbeats
            WHERE last_seen_at >= @since ORDER BY last_seen_at DESC LIMIT {MaxListed}
            """,
            connection);
        command.Parameters.AddWithValue("@since", since.UtcDateTime);
        var workers = new List<WorkerStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new WorkerStatus(
                reader.GetString(0), QueueConnections.Utc(reader.GetDateTime(1)),
                reader.GetInt32(2), reader.GetInt32(3)));
        }

        return workers;
    }

    private Task<MySqlConnection> OpenAsync(CancellationToken ct) => QueueConnections.OpenAsync(_connectionString, ct);
}
