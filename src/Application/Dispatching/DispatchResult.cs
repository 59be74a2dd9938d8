namespace Scheduler.Application.Dispatching;

/// <summary>How one claimed row ended for this worker.</summary>
public enum DispatchResult
{
    Published,

    /// <summary>Back in the queue for another attempt after a failure.</summary>
    Retried,

    /// <summary>Back in the queue without spending an attempt (a rate limit, a quota, no permit on this node).</summary>
    Deferred,

    /// <summary>Back in the queue after a take-over found the post not live; the recovery is counted.</summary>
    Requeued,

    Failed,

    /// <summary>Found past the missed-post cutoff: not published, ended missed.</summary>
    Missed,

    /// <summary>Another worker holds the row now: nothing was written.</summary>
    LeaseLost,

    /// <summary>The platform could not say whether the post is live: the row stays leased, and recovery asks again.</summary>
    ReconcilePending,

    /// <summary>The finish could not be written (the database stayed away): the row is left to recovery.</summary>
    Unfinished,
}

/// <summary>
/// What a worker decided about a claimed row, to be written by the finish: the outcome (null while the platform
/// cannot say whether the post is live), when the attempt started, and whether the row was taken over from a dead worker.
/// </summary>
public sealed record JobVerdict(ClaimedJob Job, PublishOutcome? Outcome, DateTimeOffset StartedAt, bool TakenOver = false)
{
    /// <summary>A verdict reached without calling the platform, e.g. no permit on this node: no attempt is logged.</summary>
    public bool CalledPlatform { get; init; } = true;

    /// <summary>
    /// How the post's first comment went, when this attempt published the post and the post has one; null otherwise
    /// (a post found live by recovery: its comment is not sent again).
    /// </summary>
    public Domain.Posts.FirstCommentResult? FirstComment { get; init; }
}
