using System.Text.Json.Serialization;

namespace Scheduler.Domain.Posts;

/// <summary>What a media item is; platforms publish each kind through different endpoints.</summary>
public enum MediaKind
{
    [JsonStringEnumMemberName("image")]
    Image,

    [JsonStringEnumMemberName("video")]
    Video,

    /// <summary>A PDF, PowerPoint or Word file: LinkedIn's document (carousel) posts.</summary>
    [JsonStringEnumMemberName("document")]
    Document,
}

/// <summary>Where a post appears: the feed (the default), a story (24 h), or a reel.</summary>
public enum PostFormat
{
    [JsonStringEnumMemberName("post")]
    Post,

    [JsonStringEnumMemberName("story")]
    Story,

    [JsonStringEnumMemberName("reel")]
    Reel,
}

/// <summary>One media item of a post: its public URL, what it is, and its alternative text for screen readers.</summary>
public sealed record PostMedia(string Url, MediaKind Kind, string? AltText = null)
{
    /// <summary>A media item whose kind, unless given, follows its file name (<c>.mp4</c> is a video, <c>.pdf</c> a document).</summary>
    public static PostMedia From(string url, string? altText = null, MediaKind? kind = null) =>
        new(url, kind ?? PostContentRules.KindOf(url), string.IsNullOrWhiteSpace(altText) ? null : altText.Trim());
}
