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
}
