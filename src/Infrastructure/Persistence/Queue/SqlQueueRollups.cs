using System.Globalization;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Application.Queue.GetQueueCharts;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// <c>queue_rollups</c>: one row per company and minute, and one for the whole queue (company id all zeros), written
/// once the minute is over by <see cref="RollUpAsync"/> and read by the dashboard's charts through the primary key. Two
/// nodes rolling up the same minute write the same row.
/// </summary>
public sealed class SqlQueueRollups(IConfiguration configuration, TimeProvider clock) : IQueueRollups
{
    /// <summary>The company id of the whole queue's rows.</summary>
    public static readonly Guid Everyone = Guid.Empty;

    /// <summary>Rows older than this are deleted.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public async Task<IReadOnlyList<QueueMinute>> ReadAsync(Guid? companyId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = new MySqlCommand(
            """
            SELECT minute, published, failed, retried, due, pending_future, processing, lateness_p50_ms, lateness_p95_ms, lateness_p99_ms
            FROM queue_rollups WHERE company_id = @company AND minute >= @from ORDER BY minute
            """,
            connection);
        command.Parameters.AddWithValue("@company", companyId ?? Everyone);
        command.Parameters.AddWithValue("@from", from.UtcDateTime);
        var minutes = new List<QueueMinute>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            minutes.Add(new QueueMinute(
                QueueConnections.Utc(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.IsDBNull(9) ? null : reader.GetDouble(9)));
        }

        return minutes;
    }

    public async Task<RolledUpTotals> TotalsAsync(Guid? companyId, DateTimeOffset from, DateTimeOffset recentFrom, CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        // The whole queue's row is written for every minute rolled up, a company's only for minutes it had posts in.
        await using var command = new MySqlCommand(
            """
            SELECT (SELECT MAX(minute) FROM queue_rollups WHERE company_id = @everyone AND minute >= @from),
                   CAST(COALESCE(SUM(published), 0) AS SIGNED), CAST(COALESCE(SUM(failed), 0) AS SIGNED), CAST(COALESCE(SUM(recovered), 0) AS SIGNED),
                   CAST(COALESCE(SUM(IF(minute >= @recent, published, 0)), 0) AS SIGNED)
            FROM queue_rollups WHERE company_id = @company AND minute >= @from
            """,
            connection);
        command.Parameters.AddWithValue("@everyone", Everyone);
        command.Parameters.AddWithValue("@company", companyId ?? Everyone);
        command.Parameters.AddWithValue("@from", from.UtcDateTime);
        command.Parameters.AddWithValue("@recent", recentFrom.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RolledUpTotals(
            checked((int)reader.GetInt64(1)), checked((int)reader.GetInt64(2)), checked((int)reader.GetInt64(3)), checked((int)reader.GetInt64(4)),
            reader.IsDBNull(0) ? null : QueueConnections.Utc(reader.GetDateTime(0)).AddMinutes(1));
    }

    /// <summary>Rolls up the minute that starts at <paramref name="minute"/>; the depth is the queue's now.</summary>
    public async Task<int> RollUpAsync(DateTimeOffset minute, CancellationToken cancellationToken)
    {
        var start = minute.UtcDateTime;
        var end = start.AddMinutes(1);
        var rows = new Dictionary<Guid, Row> { [Everyone] = new() };
        Row Of(Guid company) => rows.TryGetValue(company, out var row) ? row : rows[company] = new Row();

        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        // What happened in the minute comes from the attempt log (indexed by finish time): a published attempt is a post
        // published then; an attempt that did not publish failed its post if the post is failed now (once per post),
        // else put it back.
        var failedPosts = new HashSet<Guid>();
        await ReadAsync(
            connection,
            """
            SELECT d.company_id, TIMESTAMPDIFF(MICROSECOND, d.run_at, COALESCE(d.published_at, a.finished_at)), a.outcome = 'published', d.status = 'failed', d.id,
                   a.outcome = 'recovered'
            FROM post_attempts a JOIN post_details d ON d.id = a.post_detail_id
            WHERE a.finished_at >= @start AND a.finished_at < @end
            """,
            start, end,
            r =>
            {
                if (r.GetBoolean(3) && !r.GetBoolean(2) && !failedPosts.Add(r.GetGuid(4)))
                {
                    return;
                }

                foreach (var row in new[] { Of(Company(r)), rows[Everyone] })
                {
                    if (r.GetBoolean(2))
                    {
                        row.Published++;
                        row.Lateness.Add(Math.Max(0, r.GetInt64(1) / 1000.0));
                    }
                    else if (r.GetBoolean(3))
                    {
                        row.Failed++;
                    }
                    else
                    {
                        row.Retried++;
                        row.Recovered += r.GetBoolean(5) ? 1 : 0;
                    }
                }
            },
            cancellationToken);
        await ReadAsync(
            connection,
            """
            SELECT d.company_id,
                   SUM(s.status = 'pending' AND s.next_attempt_at <= UTC_TIMESTAMP(6)),
                   SUM(s.status = 'pending' AND s.next_attempt_at > UTC_TIMESTAMP(6)),
                   SUM(s.status = 'processing')
            FROM post_schedule s JOIN post_details d ON d.id = s.post_detail_id
            WHERE s.status IN ('pending', 'processing')
            GROUP BY d.company_id
            """,
            start, end,
            r =>
            {
                var (due, future, processing) = (r.GetInt32(1), r.GetInt32(2), r.GetInt32(3));
                foreach (var row in new[] { Of(Company(r)), rows[Everyone] })
                {
                    row.Due += due;
                    row.PendingFuture += future;
                    row.Processing += processing;
                }
            },
            cancellationToken);

        await using var write = new MySqlCommand(string.Empty, connection);
        var values = new List<string>(rows.Count);
        var i = 0;
        foreach (var (company, row) in rows)
        {
            var sorted = row.Lateness.Order().ToList();
            write.Parameters.AddWithValue($"@c{i}", company);
            write.Parameters.AddWithValue($"@p50_{i}", Percentile(sorted, 0.50));
            write.Parameters.AddWithValue($"@p95_{i}", Percentile(sorted, 0.95));
            write.Parameters.AddWithValue($"@p99_{i}", Percentile(sorted, 0.99));
            values.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"(@c{i}, @start, {row.Published}, {row.Failed}, {row.Retried}, {row.Recovered}, {row.Due}, {row.PendingFuture}, {row.Processing}, @p50_{i}, @p95_{i}, @p99_{i})"));
            i++;
        }

        write.CommandText =
            $"""
             INSERT INTO queue_rollups (company_id, minute, published, failed, retried, recovered, due, pending_future, processing, lateness_p50_ms, lateness_p95_ms, lateness_p99_ms)
             VALUES {string.Join(", ", values)}
             ON DUPLICATE KEY UPDATE published = VALUES(published), failed = VALUES(failed), retried = VALUES(retried), recovered = VALUES(recovered), due = VALUES(due),
               pending_future = VALUES(pending_future), processing = VALUES(processing), lateness_p50_ms = VALUES(lateness_p50_ms),
               lateness_p95_ms = VALUES(lateness_p95_ms), lateness_p99_ms = VALUES(lateness_p99_ms);
             DELETE FROM queue_rollups WHERE minute < @purge;
             """;
        write.Parameters.AddWithValue("@start", start);
        write.Parameters.AddWithValue("@purge", clock.GetUtcNow().UtcDateTime - Retention);
        await write.ExecuteNonQueryAsync(cancellationToken);
        return rows.Count;
    }

    private static Guid Company(MySqlDataReader reader) => reader.GetGuid(0);

    private static object Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? DBNull.Value : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);

    private static async Task ReadAsync(
        MySqlConnection connection, string sql, DateTime start, DateTime end, Action<MySqlDataReader> row, CancellationToken ct)
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@start", start);
        command.Parameters.AddWithValue("@end", end);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }

    private sealed class Row
    {
        public int Published { get; set; }

        public int Failed { get; set; }

        public int Retried { get; set; }

        public int Recovered { get; set; }

        public int Due { get; set; }

        public int PendingFuture { get; set; }

        public int Processing { get; set; }

        public List<double> Lateness { get; } = [];
    }
}
