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

    public async Task BeatAsync(WorkerBeat beat, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            INSERT INTO worker_heartbeats (worker_id, last_seen_at, claimed, published, host, version, started_at, in_flight, published_per_minute)
            VALUES (@worker, UTC_TIMESTAMP(6), 0, 0, @host, @version, @started, @inFlight, @perMinute)
            ON DUPLICATE KEY UPDATE last_seen_at = UTC_TIMESTAMP(6), host = @host, version = @version, started_at = @started,
                                    in_flight = @inFlight, published_per_minute = @perMinute
            """,
            connection);
        command.Parameters.AddWithValue("@worker", beat.WorkerId);
        command.Parameters.AddWithValue("@host", Truncate(beat.Host, Persistence.WorkerHeartbeat.HostMaxLength));
        command.Parameters.AddWithValue("@version", Truncate(beat.Version, Persistence.WorkerHeartbeat.VersionMaxLength));
        command.Parameters.AddWithValue("@started", beat.StartedAt.UtcDateTime);
        command.Parameters.AddWithValue("@inFlight", beat.InFlight);
        command.Parameters.AddWithValue("@perMinute", beat.PublishedPerMinute);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("DELETE FROM worker_heartbeats WHERE last_seen_at < @before", connection);
        command.Parameters.AddWithValue("@before", before.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WorkerStatus>> WorkersAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"""
            SELECT worker_id, last_seen_at, claimed, published, host, version, started_at, in_flight, published_per_minute
            FROM worker_heartbeats WHERE last_seen_at >= @since ORDER BY last_seen_at DESC LIMIT {MaxListed}
            """,
            connection);
        command.Parameters.AddWithValue("@since", since.UtcDateTime);
        var workers = new List<WorkerStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new WorkerStatus(
                reader.GetString(0), QueueConnections.Utc(reader.GetDateTime(1)),
                reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : QueueConnections.Utc(reader.GetDateTime(6)),
                reader.GetInt32(7),
                reader.GetDouble(8)));
        }

        return workers;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private Task<MySqlConnection> OpenAsync(CancellationToken ct) => QueueConnections.OpenAsync(_connectionString, ct);
}
