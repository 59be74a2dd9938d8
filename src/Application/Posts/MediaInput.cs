using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts;

/// <summary>
/// One media item as a caller gives it: its https URL, optional alternative text, and optionally its kind (else the
/// file name decides: .mp4/.mov video, .pdf/.ppt(x)/.doc(x) document, anything else an image).
/// </summary>
public sealed record MediaInput(string Url, string? AltText = null, MediaKind? Kind = null)
{
    /// <summary>The post's media from either form a command takes (plain <c>mediaUrls</c>, or rich <c>media</c>); null for neither.</summary>
    public static IReadOnlyList<PostMedia>? ToMedia(IReadOnlyList<string>? mediaUrls, IReadOnlyList<MediaInput>? media) =>
        media is not null ? [.. media.Select(m => PostMedia.From(m.Url, m.AltText, m.Kind))]
        : mediaUrls is not null ? [.. mediaUrls.Select(u => PostMedia.From(u))]
        : null;
}
