using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Infrastructure.Persistence;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>Alerts raised outside a unit of work (a platform refusing Scheduler's configuration), written to the outbox.</summary>
public sealed class SqlAlertOutbox(IConfiguration configuration, TimeProvider clock) : IAlertOutbox
{
    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public async Task EnqueueAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken)
    {
        var message = AlertMessages.Message(AlertMessages.PlatformMisconfigured, alert, clock.GetUtcNow());
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var insert = new MySqlCommand(
            """
            INSERT INTO alert_outbox (id, type, payload, created_at, attempts, next_attempt_at)
            VALUES (@id, @type, @payload, @now, 0, @now)
            """,
            connection);
        insert.Parameters.AddWithValue("@id", message.Id);
        insert.Parameters.AddWithValue("@type", message.Type);
        insert.Parameters.AddWithValue("@payload", message.Payload);
        insert.Parameters.AddWithValue("@now", message.CreatedAt.UtcDateTime);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
