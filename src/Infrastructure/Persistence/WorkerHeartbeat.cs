namespace Scheduler.Infrastructure.Persistence;

/// <summary>A worker's last run (<c>worker_heartbeats</c>), written by the dispatcher after each run.</summary>
public sealed class WorkerHeartbeat
{
    public string WorkerId { get; set; } = string.Empty;

    public DateTimeOffset LastSeenAt { get; set; }

    public int LastClaimed { get; set; }

    public int LastPublished { get; set; }
}
