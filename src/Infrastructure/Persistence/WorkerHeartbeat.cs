namespace Scheduler.Infrastructure.Persistence;

/// <summary>A worker process's heartbeat (<c>worker_heartbeats</c>): its last run, and its totals since it started.</summary>
public sealed class WorkerHeartbeat
{
    public string WorkerId { get; set; } = string.Empty;

    public DateTimeOffset LastSeenAt { get; set; }

    public int Claimed { get; set; }

    public int Published { get; set; }
}
