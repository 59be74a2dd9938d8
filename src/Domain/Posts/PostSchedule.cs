using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts;

/// <summary>
/// The queue row of a post (<c>post_schedule</c>). It belongs to the <see cref="Post"/> aggregate. The queue takes
/// leases on many rows at once in SQL (pending → processing, or a take-over of an expired lease: the database decides
/// what is due and what is locked); every transition after that — back to pending, done, failed — is the
/// aggregate's, and names the <see cref="LockToken"/> of the claim it was given.
/// </summary>
public sealed class PostSchedule : Entity
{
    public const int WorkerIdMaxLength = 200;
    public const int LastErrorMaxLength = 2000;
    /// <summary>
    /// A <c>text</c> column (64 KiB). The state is keyed by media index and holds ids only: ten media, a container and
    /// its children stay under 2 KB; the cap is far above that and is checked before every save.
    /// </summary>
    public const int PlatformStateMaxLength = 16_000;

    /// <summary>For EF Core.</summary>
    private PostSchedule() : base(Guid.Empty)
    {
    }

    private PostSchedule(Guid id, Guid postDetailId, Guid socialAccountId, DateTimeOffset runAt, int maxAttempts, DateTimeOffset now)
        : base(id)
    {
        PostDetailId = postDetailId;
        SocialAccountId = socialAccountId;
        RunAt = runAt;
        NextAttemptAt = runAt;
        MaxAttempts = maxAttempts;
        Status = ScheduleStatus.Pending;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid PostDetailId { get; private set; }

    /// <summary>The post's account, kept on the queue row so a claim can pass over accounts already busy.</summary>
    public Guid SocialAccountId { get; private set; }

    /// <summary>
    /// The time the user chose (UTC, microseconds), as on <see cref="Post.RunAt"/>: on the queue row too so the dispatcher
    /// measures lateness from the row it holds. Only a reschedule changes it.
    /// </summary>
    public DateTimeOffset RunAt { get; private set; }

    /// <summary>When the queue next hands the row to a worker: <see cref="RunAt"/>, or later after a retry or deferral.</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    public ScheduleStatus Status { get; private set; }

    public DateTimeOffset? LockedAt { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public string? WorkerId { get; private set; }

    /// <summary>A new value on every claim; every update after the claim names it, so a lost lease changes nothing.</summary>
    public Guid? LockToken { get; private set; }

    /// <summary>Platform calls made (a claim is the start of one); refunded when the call never got an answer to count.</summary>
    public int Attempts { get; private set; }

    public int MaxAttempts { get; private set; }

    /// <summary>Times the row was taken over from a worker that died or hung; counted apart from attempts.</summary>
    public int Recoveries { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>When the current attempt was handed to a publisher: from then on the post may be live, so recovery reconciles first.</summary>
    public DateTimeOffset? PublishStartedAt { get; private set; }

    /// <summary>
    /// What a publisher learned mid-publish and must not lose to a crash (an Instagram container id), as JSON,
    /// written the moment it is known so the next attempt resumes instead of starting over.
    /// </summary>
    public string? PlatformState { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsHeldBy(Guid lockToken) => Status == ScheduleStatus.Processing && LockToken == lockToken;

    internal static PostSchedule Create(Guid postDetailId, Guid socialAccountId, DateTimeOffset runAt, int maxAttempts, DateTimeOffset now) =>
        new(Ids.New(), postDetailId, socialAccountId, runAt, maxAttempts, now);

    internal void EnsureHeldBy(Guid lockToken)
    {
        if (!IsHeldBy(lockToken))
        {
            throw new DomainException("The lease on this post is not held by the caller; it was lost or never taken.");
        }
    }

    /// <summary>Out of the queue: a draft's row.</summary>
    internal void Hold(DateTimeOffset now)
    {
        Status = ScheduleStatus.Held;
        UpdatedAt = now;
    }

    /// <summary>Why a held row is where it is (a rejected approval), shown as the post's last error.</summary>
    internal void Note(string note, DateTimeOffset now)
    {
        LastError = note;
        UpdatedAt = now;
    }

    /// <summary>A held row into the queue, due at its time.</summary>
    internal void Release(DateTimeOffset now)
    {
        Status = ScheduleStatus.Pending;
        LastError = null;
        NextAttemptAt = RunAt;
        UpdatedAt = now;
    }

    internal void Reschedule(DateTimeOffset runAt, DateTimeOffset now)
    {
        RunAt = runAt;
        NextAttemptAt = runAt;
        UpdatedAt = now;
    }

    /// <summary>Back to the queue at <paramref name="nextAttemptAt"/>, with the attempt refunded or not.</summary>
    internal void Requeue(DateTimeOffset nextAttemptAt, bool refundAttempt, string? error, DateTimeOffset now)
    {
        if (refundAttempt && Attempts > 0)
        {
            Attempts--;
        }

        if (error is not null)
        {
            LastError = error;
        }

        Status = ScheduleStatus.Pending;
        NextAttemptAt = nextAttemptAt;
        ReleaseLease();
        UpdatedAt = now;
    }

    /// <summary>After a take-over that found the post not live: the dead worker's attempt is refunded, the recovery counted.</summary>
    internal void CountRecovery() => Recoveries++;

    internal void Complete(DateTimeOffset now)
    {
        Status = ScheduleStatus.Done;
        LastError = null;
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }

    internal void Fail(string error, DateTimeOffset now)
    {
        Status = ScheduleStatus.Failed;
        LastError = error;
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }

    internal void Cancel(DateTimeOffset now)
    {
        Status = ScheduleStatus.Cancelled;
        UpdatedAt = now;
    }

    /// <summary>A failed post back in the queue, due now, with a fresh set of attempts and recoveries.</summary>
    internal void Restart(DateTimeOffset now)
    {
        Status = ScheduleStatus.Pending;
        NextAttemptAt = now;
        Attempts = 0;
        Recoveries = 0;
        LastError = null;
        PlatformState = null;
        ReleaseLease();
        UpdatedAt = now;
    }

    internal void Touch(DateTimeOffset now) => UpdatedAt = now;

    private void ReleaseLease()
    {
        LockedAt = null;
        LeaseExpiresAt = null;
        WorkerId = null;
        LockToken = null;
        PublishStartedAt = null;
    }
}
