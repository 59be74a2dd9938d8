using System.Data;
using System.Text;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence.Configurations;
using Scheduler.Infrastructure.Persistence.Conventions;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// The claim path, in SQL because EF cannot say <c>SKIP LOCKED</c>. Each call is one short READ COMMITTED transaction:
/// lock due rows through the (status, run_at, id) index, skipping rows other workers hold, lease them to this worker
/// under a new lock token, commit. The database clock decides what is due and what has expired.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is the job queue of the design.")]
public sealed class SqlJobQueue(IConfiguration configuration) : IJobQueue
{
    /// <summary>The claim's locking read; it must be served by the (status, run_at, id) index.</summary>
    public const string ClaimSql =
        $"""
        SELECT id FROM post_schedule FORCE INDEX ({PostScheduleConfiguration.ClaimIndex})
        WHERE status = 'pending' AND run_at <= UTC_TIMESTAMP(6)
        ORDER BY run_at, id
        LIMIT @batch
        FOR UPDATE SKIP LOCKED
        """;

    private const int MaxDeadlockRetries = 5;

    private static readonly LowerNameEnumConverter<Platform> Platforms = new();

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public Task<IReadOnlyList<ClaimedJob>> ClaimDueAsync(
        string workerId, int batchSize, TimeSpan lease, CancellationToken cancellationToken) =>
        LeaseAsync(
            ClaimSql,
            "attempts = attempts + 1, publish_started_at = NULL,",
            workerId, batchSize, lease, cancellationToken);

    public Task<IReadOnlyList<ClaimedJob>> ReclaimExpiredAsync(
        string workerId, int batchSize, TimeSpan lease, CancellationToken cancellationToken) =>
        LeaseAsync(
            $"""
            SELECT id FROM post_schedule FORCE INDEX ({PostScheduleConfiguration.RecoveryIndex})
            WHERE status = 'processing' AND lease_expires_at < UTC_TIMESTAMP(6)
            ORDER BY lease_expires_at
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """,
            string.Empty,
            workerId, batchSize, lease, cancellationToken);

    public async Task<bool> MarkPublishStartedAsync(ClaimedJob job, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            UPDATE post_schedule SET publish_started_at = @at, updated_at = @at
            WHERE post_detail_id = @post AND status = 'processing' AND lock_token = @token
            """,
            connection);
        command.Parameters.AddWithValue("@at", at.UtcDateTime);
        command.Parameters.AddWithValue("@post", job.PostId);
        command.Parameters.AddWithValue("@token", job.LockToken);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> SavePlatformStateAsync(Guid postId, Guid lockToken, string? state, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            UPDATE post_schedule SET platform_state = @state, updated_at = UTC_TIMESTAMP(6)
            WHERE post_detail_id = @post AND status = 'processing' AND lock_token = @token
            """,
            connection);
        command.Parameters.AddWithValue("@state", state);
        command.Parameters.AddWithValue("@post", postId);
        command.Parameters.AddWithValue("@token", lockToken);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

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
            """
            SELECT worker_id, last_seen_at, claimed, published FROM worker_heartbeats
            WHERE last_seen_at >= @since ORDER BY last_seen_at DESC LIMIT 100
            """,
            connection);
        command.Parameters.AddWithValue("@since", since.UtcDateTime);
        var workers = new List<WorkerStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new WorkerStatus(reader.GetString(0), Utc(reader.GetDateTime(1)), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return workers;
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT MIN(run_at) FROM post_schedule WHERE status = 'pending'", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime next
            ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc))
            : null;
    }

    private async Task<IReadOnlyList<ClaimedJob>> LeaseAsync(
        string selectForUpdate, string extraAssignments, string workerId, int batchSize, TimeSpan lease, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await LeaseOnceAsync(selectForUpdate, extraAssignments, workerId, batchSize, lease, ct);
            }
            catch (MySqlException ex) when (IsRetryable(ex) && attempt < MaxDeadlockRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * attempt)), ct);
            }
        }
    }

    private async Task<IReadOnlyList<ClaimedJob>> LeaseOnceAsync(
        string selectForUpdate, string extraAssignments, string workerId, int batchSize, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

        var ids = new List<Guid>(batchSize);
        await using (var select = new MySqlCommand(selectForUpdate, connection, transaction))
        {
            select.Parameters.AddWithValue("@batch", batchSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        if (ids.Count == 0)
        {
            await transaction.CommitAsync(ct);
            return [];
        }

        var token = Guid.CreateVersion7();
        var inList = new StringBuilder();
        await using var update = new MySqlCommand { Connection = connection, Transaction = transaction };
        for (var i = 0; i < ids.Count; i++)
        {
            inList.Append(i == 0 ? "@id0" : $",@id{i}");
            update.Parameters.AddWithValue($"@id{i}", ids[i]);
        }

        update.CommandText =
            $"""
            UPDATE post_schedule
            SET status = 'processing', {extraAssignments}
                locked_at = UTC_TIMESTAMP(6),
                lease_expires_at = UTC_TIMESTAMP(6) + INTERVAL @lease MICROSECOND,
                worker_id = @worker, lock_token = @token, updated_at = UTC_TIMESTAMP(6)
            WHERE id IN ({inList});
            SELECT s.post_detail_id, d.social_account_id, d.platform, s.lock_token, s.attempts, s.max_attempts,
                   s.run_at, s.locked_at, s.publish_started_at
            FROM post_schedule s JOIN post_details d ON d.id = s.post_detail_id
            WHERE s.id IN ({inList})
            ORDER BY s.run_at, s.id;
            """;
        update.Parameters.AddWithValue("@lease", (long)(lease.TotalMilliseconds * 1000));
        update.Parameters.AddWithValue("@worker", workerId);
        update.Parameters.AddWithValue("@token", token);

        var jobs = new List<ClaimedJob>(ids.Count);
        await using (var reader = await update.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                jobs.Add(new ClaimedJob(
                    reader.GetGuid(0),
                    reader.GetGuid(1),
                    (Platform)Platforms.ConvertFromProvider(reader.GetString(2))!,
                    reader.GetGuid(3),
                    reader.GetInt32(4),
                    reader.GetInt32(5),
                    Utc(reader.GetDateTime(6)),
                    Utc(reader.GetDateTime(7)),
                    reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8))));
            }
        }

        await transaction.CommitAsync(ct);
        return jobs;
    }

    private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static bool IsRetryable(MySqlException ex) =>
        ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;
}
