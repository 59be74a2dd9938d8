namespace Scheduler.Application.Dispatching;

/// <summary>The worker processes, for the queue-health view and the alert gauges.</summary>
public interface IWorkerRegistry
{
    /// <summary>Records that this worker ran and adds to its totals.</summary>
    Task HeartbeatAsync(string workerId, int claimed, int published, CancellationToken cancellationToken);

    /// <summary>The worker's periodic report: where it runs and what it is doing now.</summary>
    Task BeatAsync(WorkerBeat beat, CancellationToken cancellationToken);

    /// <summary>The workers seen since <paramref name="since"/>, most recent first.</summary>
    Task<IReadOnlyList<WorkerStatus>> WorkersAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Forgets workers not seen since <paramref name="before"/>.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

public sealed record WorkerBeat(string WorkerId, string Host, string Version, DateTimeOffset StartedAt, int InFlight, double PublishedPerMinute);

/// <summary>A worker process: its last report, where it runs, what it has in flight, and its totals since it started.</summary>
public sealed record WorkerStatus(
    string WorkerId,
    DateTimeOffset LastSeenAt,
    int Claimed,
    int Published,
    string? Host = null,
    string? Version = null,
    DateTimeOffset? StartedAt = null,
    int InFlight = 0,
    double PublishedPerMinute = 0);
