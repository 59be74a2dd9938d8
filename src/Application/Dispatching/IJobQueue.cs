namespace Scheduler.Application.Dispatching;

/// <summary>
/// The queue's claim path in SQL (<c>SELECT … FOR UPDATE SKIP LOCKED</c>): short transactions that hand rows to one
/// worker under a lease. Every later change of a claimed row names its <see cref="ClaimedJob.LockToken"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is the job queue of the design.")]
public interface IJobQueue
{
    /// <summary>Claims up to <paramref name="batchSize"/> due pending rows, oldest first; each costs an attempt.</summary>
    Task<IReadOnlyList<ClaimedJob>> ClaimDueAsync(string workerId, int batchSize, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Takes over rows whose lease expired (their worker died or hung), under a new lock token and lease, without
    /// spending an attempt: the caller reconciles them before anything else.
    /// </summary>
    Task<IReadOnlyList<ClaimedJob>> ReclaimExpiredAsync(
        string workerId, int batchSize, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records, fenced by the lock token, that the platform is about to be called: from then on the post may be live,
    /// and recovery reconciles before it retries. False when the lease was lost.
    /// </summary>
    Task<bool> MarkPublishStartedAsync(ClaimedJob job, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Saves a publisher's mid-publish state (fenced by the lock token). False when the lease was lost.</summary>
    Task<bool> SavePlatformStateAsync(Guid postId, Guid lockToken, string? state, CancellationToken cancellationToken);

    /// <summary>Records that this worker ran and adds to its totals, for the queue-health view.</summary>
    Task HeartbeatAsync(string workerId, int claimed, int published, CancellationToken cancellationToken);

    /// <summary>The workers seen since <paramref name="since"/>, most recent first.</summary>
    Task<IReadOnlyList<WorkerStatus>> WorkersAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The earliest run_at of a pending row, if any.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);
}

/// <summary>A row this worker holds: <see cref="LockToken"/> fences every change it makes.</summary>
public sealed record ClaimedJob(
    Guid PostId,
    Guid SocialAccountId,
    Domain.SocialAccounts.Platform Platform,
    Guid LockToken,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset RunAt,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? PublishStartedAt);

/// <summary>A worker process: its last run, and the rows it claimed and published since it started.</summary>
public sealed record WorkerStatus(string WorkerId, DateTimeOffset LastSeenAt, int Claimed, int Published);
