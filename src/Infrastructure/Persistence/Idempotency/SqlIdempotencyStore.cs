using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.Persistence.Idempotency;

/// <summary>
/// Keys in <c>idempotency_keys</c>. A reservation is one statement on a connection of its own (committed at once, so a
/// concurrent duplicate sees it): an insert, or the take-over of an expired key or of a reservation abandoned by a
/// request that died. The response is written through the command's own DbContext, inside its transaction.
/// MySQL applies the assignments of <c>ON DUPLICATE KEY UPDATE</c> in order, each seeing the ones before: the columns
/// the take-over condition reads come last, and <c>created_at</c>'s own condition still holds after the others changed
/// (a taken-over row has <c>completed_at</c> NULL and an old <c>created_at</c>).
/// </summary>
public sealed class SqlIdempotencyStore(
    SchedulerDbContext db, IConfiguration configuration, IOptions<IdempotencyOptions> options, TimeProvider clock)
    : IIdempotencyStore
{
    /// <summary>About one reservation in this many also deletes a batch of expired keys, so the table stays small.</summary>
    public const int PurgeEvery = 64;

    public const int PurgeBatch = 500;

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public async Task<IdempotencyClaim> BeginAsync(Guid companyId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var token = Guid.CreateVersion7();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var reserve = new MySqlCommand(
            """
            INSERT INTO idempotency_keys (company_id, idempotency_key, request_hash, token, response, created_at, completed_at, expires_at)
            VALUES (@company, @key, @hash, @token, NULL, @now, NULL, @expires)
            ON DUPLICATE KEY UPDATE
              token        = IF(expires_at < @now OR (completed_at IS NULL AND created_at < @abandoned), VALUES(token), token),
              request_hash = IF(expires_at < @now OR (completed_at IS NULL AND created_at < @abandoned), VALUES(request_hash), request_hash),
              response     = IF(expires_at < @now OR (completed_at IS NULL AND created_at < @abandoned), NULL, response),
              completed_at = IF(expires_at < @now OR (completed_at IS NULL AND created_at < @abandoned), NULL, completed_at),
              expires_at   = IF(expires_at < @now OR (completed_at IS NULL AND created_at < @abandoned), VALUES(expires_at), expires_at),
              created_at   = IF(completed_at IS NULL AND created_at < @abandoned, VALUES(created_at), created_at);
            SELECT token, request_hash, response, completed_at FROM idempotency_keys WHERE company_id = @company AND idempotency_key = @key;
            """,
            connection);
        reserve.Parameters.AddWithValue("@company", companyId);
        reserve.Parameters.AddWithValue("@key", key);
        reserve.Parameters.AddWithValue("@hash", requestHash);
        reserve.Parameters.AddWithValue("@token", token);
        reserve.Parameters.AddWithValue("@now", now);
        reserve.Parameters.AddWithValue("@expires", now.AddHours(settings.RetentionHours));
        reserve.Parameters.AddWithValue("@abandoned", now.AddSeconds(-settings.AbandonedAfterSeconds));
        if (Random.Shared.Next(PurgeEvery) == 0)
        {
            reserve.CommandText += $"\nDELETE FROM idempotency_keys WHERE expires_at < @now LIMIT {PurgeBatch};";
        }

        // The INSERT has no result set: the reader opens on the SELECT's.
        await using var reader = await reserve.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"The idempotency key of company {companyId} vanished right after it was written.");
        }

        var holder = reader.GetGuid(0);
        if (holder == token)
        {
            return new IdempotencyClaim.Started(token);
        }

        if (reader.GetString(1) != requestHash)
        {
            return new IdempotencyClaim.Mismatch();
        }

        return reader.IsDBNull(3) ? new IdempotencyClaim.InProgress() : new IdempotencyClaim.Completed(reader.GetString(2));
    }

    public async Task CompleteAsync(Guid companyId, string key, Guid token, string responseJson, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var written = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE idempotency_keys SET response = {responseJson}, completed_at = {now}
            WHERE company_id = {companyId} AND idempotency_key = {key} AND token = {token} AND completed_at IS NULL
            """,
            cancellationToken);
        if (written != 1)
        {
            // Another request took the key over (this one ran past the abandonment window): let this one's work roll back.
            throw new Application.Common.Exceptions.IdempotencyInProgressException(key);
        }
    }

    public async Task ReleaseAsync(Guid companyId, string key, Guid token, CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var release = new MySqlCommand(
            "DELETE FROM idempotency_keys WHERE company_id = @company AND idempotency_key = @key AND token = @token AND completed_at IS NULL",
            connection);
        release.Parameters.AddWithValue("@company", companyId);
        release.Parameters.AddWithValue("@key", key);
        release.Parameters.AddWithValue("@token", token);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }
}
