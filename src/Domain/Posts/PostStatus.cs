using System.Text.Json.Serialization;

namespace Scheduler.Domain.Posts;

/// <summary>The life of a post as its owner sees it (<c>post_details.status</c>).</summary>
public enum PostStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Written, not in the queue: never published until it is scheduled (or approved).</summary>
    [JsonStringEnumMemberName("draft")]
    Draft,

    /// <summary>A draft submitted for approval: not in the queue until a user with the approver role approves it.</summary>
    [JsonStringEnumMemberName("pending_approval")]
    PendingApproval,

    [JsonStringEnumMemberName("published")]
    Published,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Not published within the configured cutoff after its time, so not published late: never sent.</summary>
    [JsonStringEnumMemberName("missed")]
    Missed,
}
