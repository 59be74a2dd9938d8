using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts;

/// <summary>One try at publishing a post (<c>post_attempts</c>): when, by which worker, and how it ended.</summary>
public sealed class PostAttempt : Entity
{
    public const int OutcomeMaxLength = 32;

    private PostAttempt() : base(Guid.Empty)
    {
        WorkerId = null!;
        Outcome = null!;
    }

    private PostAttempt(Guid id) : base(id)
    {
        WorkerId = null!;
        Outcome = null!;
    }

    public Guid PostDetailId { get; private set; }

    /// <summary>The attempt's number (1 for the first).</summary>
    public int Number { get; private set; }

    public string WorkerId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset FinishedAt { get; private set; }

    /// <summary>published, transient, rate_limited, permanent, auth_invalid, unknown, recovered, lease_expired …</summary>
    public string Outcome { get; private set; }

    public string? Error { get; private set; }

    public string? ExternalPostId { get; private set; }

    public static PostAttempt Record(
        Guid postId, int number, string workerId, DateTimeOffset startedAt, DateTimeOffset finishedAt, string outcome,
        string? error, string? externalPostId) => new(Ids.New())
    {
        PostDetailId = postId,
        Number = number,
        WorkerId = Cut(workerId, PostSchedule.WorkerIdMaxLength)!,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        Outcome = Cut(outcome, OutcomeMaxLength)!,
        Error = Cut(error, PostSchedule.LastErrorMaxLength),
        ExternalPostId = Cut(externalPostId, Post.ExternalPostIdMaxLength),
    };

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
