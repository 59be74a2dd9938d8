using System.Text.Json.Serialization;

namespace Scheduler.Domain.Posts;

/// <summary>The life of a post as its owner sees it (<c>post_details.status</c>).</summary>
public enum PostStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

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
