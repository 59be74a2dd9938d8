using System.Text.Json.Serialization;

namespace Scheduler.Application.Posts;

/// <summary>
/// The status a caller sees: the post's own status, except that a pending post a worker holds right now is
/// <c>processing</c>.
/// </summary>
public enum PostState
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("processing")]
    Processing,

    [JsonStringEnumMemberName("published")]
    Published,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Written, not scheduled: never published until scheduled or approved.</summary>
    [JsonStringEnumMemberName("draft")]
    Draft,

    /// <summary>Submitted for approval by a user with the approver role; not in the queue until approved.</summary>
    [JsonStringEnumMemberName("pending_approval")]
    PendingApproval,

    /// <summary>Found past <c>Dispatcher:MissedAfter</c> after its time, so not published.</summary>
    [JsonStringEnumMemberName("missed")]
    Missed,
}

public static class PostStates
{
    /// <summary>The caller's status of a post from its own status and its queue row's.</summary>
    public static PostState Of(Domain.Posts.PostStatus post, Domain.Posts.ScheduleStatus schedule) =>
        schedule == Domain.Posts.ScheduleStatus.Processing ? PostState.Processing
        : post switch
        {
            Domain.Posts.PostStatus.Published => PostState.Published,
            Domain.Posts.PostStatus.Failed => PostState.Failed,
            Domain.Posts.PostStatus.Cancelled => PostState.Cancelled,
            Domain.Posts.PostStatus.Missed => PostState.Missed,
            Domain.Posts.PostStatus.Draft => PostState.Draft,
            Domain.Posts.PostStatus.PendingApproval => PostState.PendingApproval,
            _ => PostState.Pending,
        };
}
