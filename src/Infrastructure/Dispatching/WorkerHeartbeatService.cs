using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Dispatching;

/// <summary>Counts what this node published, for its posts-per-minute figure.</summary>
public sealed class WorkerActivity
{
    private long _published;

    public long Published => Interlocked.Read(ref _published);

    public void CountPublished() => Interlocked.Increment(ref _published);
}

/// <summary>
/// A worker node's report every <see cref="Interval"/>: host, version, start time, publishes in flight and posts
/// published per minute (over the last minute). The queue-health view calls a worker alive, stale or gone from its last
/// report; reports older than <see cref="Retention"/> are deleted.
/// </summary>
public sealed partial class WorkerHeartbeatService(
    IWorkerRegistry registry,
    WorkerIdentity worker,
    PublishLimits limits,
    WorkerActivity activity,
    TimeProvider clock,
    ILogger<WorkerHeartbeatService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private static readonly string Version =
        typeof(WorkerHeartbeatService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(WorkerHeartbeatService).Assembly.GetName().Version?.ToString() ?? "unknown";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startedAt = clock.GetUtcNow();
        var samples = new Queue<(DateTimeOffset At, long Published)>();
        var lastPurge = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            var now = clock.GetUtcNow();
            samples.Enqueue((now, activity.Published));
            while (samples.Count > 1 && now - samples.Peek().At > RateWindow)
            {
                samples.Dequeue();
            }

            var (firstAt, firstCount) = samples.Peek();
            var minutes = (now - firstAt).TotalMinutes;
            var perMinute = minutes > 0 ? Math.Round((activity.Published - firstCount) / minutes, 1) : 0;
            try
            {
                await registry.BeatAsync(
                    new WorkerBeat(worker.Id, Environment.MachineName, Version, startedAt, limits.InFlight, perMinute), stoppingToken);
                if (now - lastPurge >= TimeSpan.FromHours(1))
                {
                    await registry.PurgeAsync(now - Retention, stoppingToken);
                    lastPurge = now;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away: the next beat says we are alive again.
                LogBeatFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 9202, Level = LogLevel.Debug, Message = "The worker heartbeat could not be written")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
