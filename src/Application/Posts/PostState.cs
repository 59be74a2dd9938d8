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
}
