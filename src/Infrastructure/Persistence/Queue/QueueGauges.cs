using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Scheduler.Application.Common.Metrics;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// The whole queue as gauges for alerting (every company, read every <see cref="Interval"/> by one indexed query, so a
/// scrape never touches the database): posts due and not yet taken, the oldest one's age, posts being published, live
/// workers, and accounts that need reconnecting or whose token is about to expire. Each node reports the same values;
/// rules take their maximum.
/// </summary>
public sealed partial class QueueGauges : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>A worker whose last heartbeat is younger than this is alive (a run lasts at most about a minute).</summary>
    public static readonly TimeSpan LiveWorkerWindow = TimeSpan.FromMinutes(2);

    private readonly string _connectionString;
    private readonly ILogger<QueueGauges> _logger;
    private Snapshot? _last;

    public QueueGauges(IMeterFactory meters, IConfiguration configuration, ILogger<QueueGauges> logger)
    {
        _connectionString = DatabaseOptions.ConnectionString(configuration);
        _logger = logger;
        var meter = meters.Create(SchedulerMetrics.MeterName);
        meter.CreateObservableGauge("scheduler.queue.due", () => Read(s => s.Due), "{post}", "Pending posts that are due and not yet taken by a worker.");
        meter.CreateObservableGauge("scheduler.queue.oldest_due_age", () => Read(s => s.OldestDueAgeSeconds), "s", "How long the oldest due post has waited.");
        meter.CreateObservableGauge("scheduler.queue.processing", () => Read(s => s.Processing), "{post}", "Posts a worker is publishing now.");
        meter.CreateObservableGauge("scheduler.workers.live", () => Read(s => s.LiveWorkers), "{worker}", "Workers with a heartbeat in the last two minutes.");
        meter.CreateObservableGauge("scheduler.accounts.needs_reconnect", () => Read(s => s.NeedsReconnect), "{account}", "Accounts that publish nothing until reconnected.");
        meter.CreateObservableGauge("scheduler.accounts.expiring", () => Read(s => s.Expiring), "{account}", "Accounts whose token expires within the warning window.");
    }

    /// <summary>Reads the queue now (also what the background loop does).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = new MySqlCommand(
            """
            SELECT
              (SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(6)),
              (SELECT TIMESTAMPDIFF(MICROSECOND, MIN(next_attempt_at), UTC_TIMESTAMP(6)) FROM post_schedule
                 WHERE status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(6)),
              (SELECT COUNT(*) FROM post_schedule WHERE status = 'processing'),
              (SELECT COUNT(*) FROM worker_heartbeats WHERE last_seen_at >= UTC_TIMESTAMP(6) - INTERVAL @live SECOND),
              (SELECT COUNT(*) FROM social_accounts WHERE status = 'needs_reconnect'),
              (SELECT COUNT(*) FROM social_accounts WHERE status = 'expiring')
            """,
            connection);
        command.Parameters.AddWithValue("@live", (int)LiveWorkerWindow.TotalSeconds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        _last = new Snapshot(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? 0 : reader.GetInt64(1) / 1_000_000.0,
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetInt64(4),
            reader.GetInt64(5));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is MySqlException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // The database is away: the gauges go silent (no value) rather than repeat a stale one.
                _last = null;
                LogSampleFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<double>> Read(Func<Snapshot, double> value) =>
        _last is { } snapshot ? [new Measurement<double>(value(snapshot))] : [];

    private sealed record Snapshot(double Due, double OldestDueAgeSeconds, double Processing, double LiveWorkers, double NeedsReconnect, double Expiring);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "The queue gauges could not be read; they report nothing until the database answers")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
