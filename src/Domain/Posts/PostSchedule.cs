using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts;

/// <summary>
/// The queue row of a post (<c>post_schedule</c>). It belongs to the <see cref="Post"/> aggregate and changes only
/// through it; workers change it in SQL with the same rules, fenced by <see cref="LockToken"/>.
/// </summary>
public sealed class PostSchedule : Entity
{
    public const int WorkerIdMaxLength = 200;
    public const int LastErrorMaxLength = 2000;
    public const int PlatformStateMaxLength = 2000;

    /// <summary>For EF Core.</summary>
    private PostSchedule() : base(Guid.Empty)
    {
    }

    private PostSchedule(Guid id, Guid postDetailId, DateTimeOffset runAt, int maxAttempts, DateTimeOffset now) : base(id)
    {
        PostDetailId = postDetailId;
        RunAt = runAt;
        MaxAttempts = maxAttempts;
        Status = ScheduleStatus.Pending;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid PostDetailId { get; private set; }

    /// <summary>When the row becomes due (UTC, microseconds).</summary>
    public DateTimeOffset RunAt { get; internal set; }

    public ScheduleStatus Status { get; internal set; }

    public DateTimeOffset? LockedAt { get; internal set; }

    public DateTimeOffset? LeaseExpiresAt { get; internal set; }

    public string? WorkerId { get; internal set; }

    /// <summary>A new value on every claim; every update after the claim names it, so a lost lease changes nothing.</summary>
    public Guid? LockToken { get; internal set; }

    public int Attempts { get; internal set; }

    public int MaxAttempts { get; private set; }

    public string? LastError { get; internal set; }

    /// <summary>Set just before the platform is called: from then on the post may be live, so recovery reconciles first.</summary>
    public DateTimeOffset? PublishStartedAt { get; internal set; }

    /// <summary>
    /// What a publisher learned mid-publish and must not lose to a crash (an Instagram container id), as JSON,
    /// written the moment it is known so the next attempt resumes instead of starting over.
    /// </summary>
    public string? PlatformState { get; internal set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; internal set; }

    internal static PostSchedule Create(Guid postDetailId, DateTimeOffset runAt, int maxAttempts, DateTimeOffset now) =>
        new(Ids.New(), postDetailId, runAt, maxAttempts, now);

    internal void ReleaseLease()
    {
        LockedAt = null;
        LeaseExpiresAt = null;
        WorkerId = null;
        LockToken = null;
        PublishStartedAt = null;
    }
}
