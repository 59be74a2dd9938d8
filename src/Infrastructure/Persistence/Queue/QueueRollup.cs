namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>A row of <c>queue_rollups</c> (written and read in SQL by <see cref="SqlQueueRollups"/>; mapped for the schema).</summary>
public sealed class QueueRollup
{
    public Guid CompanyId { get; set; }

    public DateTimeOffset Minute { get; set; }

    public int Published { get; set; }

    public int Failed { get; set; }

    public int Retried { get; set; }

    /// <summary>Attempts taken over from a worker whose lease ran out (also counted in <see cref="Retried"/>).</summary>
    public int Recovered { get; set; }

    public int Due { get; set; }

    public int PendingFuture { get; set; }

    public int Processing { get; set; }

    public double? LatenessP50Ms { get; set; }

    public double? LatenessP95Ms { get; set; }

    public double? LatenessP99Ms { get; set; }
}

/// <summary>Rolls up each minute once it is over (every node may; they write the same rows).</summary>
public sealed partial class QueueRollupService(SqlQueueRollups rollups, TimeProvider clock, Microsoft.Extensions.Logging.ILogger<QueueRollupService> logger)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    /// <summary>How long after a minute ends it is rolled up (finishes of its last posts land first).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var thisMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
            var next = thisMinute.AddMinutes(1) + Settle;
            await Task.Delay(next - now, clock, stoppingToken);
            try
            {
                await rollups.RollUpAsync(thisMinute, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRollupFailed(logger, ex, thisMinute);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 9203, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "The queue's minute {Minute} could not be rolled up; its chart point stays empty")]
    private static partial void LogRollupFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, DateTimeOffset minute);
}
