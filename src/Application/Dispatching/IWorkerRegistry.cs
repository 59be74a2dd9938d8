namespace Scheduler.Application.Dispatching;

/// <summary>The worker processes that ran, for the queue-health view.</summary>
public interface IWorkerRegistry
{
    /// <summary>Records that this worker ran and adds to its totals.</summary>
    Task HeartbeatAsync(string workerId, int claimed, int published, CancellationToken cancellationToken);

    /// <summary>The workers seen since <paramref name="since"/>, most recent first.</summary>
    Task<IReadOnlyList<WorkerStatus>> WorkersAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>A worker process: its last run, and the rows it claimed and published since it started.</summary>
public sealed record WorkerStatus(string WorkerId, DateTimeOffset LastSeenAt, int Claimed, int Published);
