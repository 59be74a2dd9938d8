namespace Scheduler.Infrastructure.Persistence;

/// <summary>
/// A worker process's heartbeat (<c>worker_heartbeats</c>): when it last reported, where it runs, what it has in flight
/// and how fast it publishes, and its totals since it started.
/// </summary>
public sealed class WorkerHeartbeat
{
    public const int HostMaxLength = 200;
    public const int VersionMaxLength = 50;

    public string WorkerId { get; set; } = string.Empty;

    public DateTimeOffset LastSeenAt { get; set; }

    public int Claimed { get; set; }

    public int Published { get; set; }

    public string? Host { get; set; }

    public string? Version { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public int InFlight { get; set; }

    public double PublishedPerMinute { get; set; }
}
