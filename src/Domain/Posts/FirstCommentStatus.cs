using System.Text.Json.Serialization;

namespace Scheduler.Domain.Posts;

/// <summary>Where a post's first comment is: waiting for the post, published under it, or failed (the post stays published).</summary>
public enum FirstCommentStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("published")]
    Published,

    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>How the first comment's call ended: the platform's comment id, or why it failed.</summary>
public sealed record FirstCommentResult(string? CommentId, string? Error)
{
    /// <summary>
    /// Why a post marked published without any word on its comment has none: it was not sent, so it is never posted
    /// twice (the dispatcher always says; this guards any other path).
    /// </summary>
    public const string NotRecorded =
        "The post was found live with no record of its first comment; the comment was not sent, so it is never posted twice. Check the post and comment by hand if it is missing.";

    public static FirstCommentResult Posted(string commentId) => new(commentId, null);

    public static FirstCommentResult Failed(string error) => new(null, error);
}
