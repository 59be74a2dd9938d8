using System.Globalization;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts;

/// <summary>What a media file's host says about it: its type, size and, for images, pixel size (any may be unknown).</summary>
public sealed record MediaFacts(string? ContentType, long? Length, int? Width = null, int? Height = null);

/// <summary>
/// The platforms' documented limits on the files themselves, checked when a post is scheduled (the media's host is
/// asked for its type, size and dimensions) instead of failing at publish time. Unknown facts are not held against a
/// file: the platform has the last word.
/// </summary>
public static class MediaRules
{
    public const long InstagramImageMaxBytes = 8L * 1024 * 1024;
    public const double InstagramMinAspect = 4.0 / 5.0;
    public const double InstagramMaxAspect = 1.91;
    public const long FacebookPhotoMaxBytes = 10L * 1000 * 1000;
    public const long FacebookStoryPhotoMaxBytes = 4L * 1000 * 1000;
    public const long LinkedInImageMaxPixels = 36_152_320;
    public const long LinkedInDocumentMaxBytes = 100L * 1024 * 1024;
    public const long LinkedInVideoMaxBytes = 500L * 1024 * 1024;

    private static readonly string[] DocumentTypes =
    [
        "application/pdf",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ];

    private static readonly string[] FacebookStoryPhotoTypes = ["image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff"];
    private static readonly string[] LinkedInImageTypes = ["image/jpeg", "image/png", "image/gif"];

    /// <summary>Every rule the file breaks on the platform, as sentences naming the rule; empty when it passes.</summary>
    public static IReadOnlyList<string> Check(Platform platform, PostFormat format, PostMedia media, MediaFacts facts)
    {
        var problems = new List<string>();
        // Media types are case-insensitive (RFC 9110); a generic binary type says nothing about the file.
        var type = facts.ContentType?.Split(';')[0].Trim().ToLowerInvariant() is { Length: > 0 } t && t != "application/octet-stream"
            ? t
            : null;
        var expected = media.Kind switch
        {
            MediaKind.Video => type is null || type.StartsWith("video/", StringComparison.Ordinal),
            MediaKind.Document => type is null || DocumentTypes.Contains(type),
            _ => type is null || type.StartsWith("image/", StringComparison.Ordinal),
        };
        if (!expected)
        {
            problems.Add($"it is {type}, not {Article(media.Kind)} {EnumNames(media.Kind)}");
            return problems;
        }

        switch (platform, media.Kind)
        {
            case (Platform.Instagram, MediaKind.Image):
                if (type is not null && type != "image/jpeg")
                {
                    problems.Add($"Instagram takes JPEG images only; this one is {type}");
                }

                if (facts.Length > InstagramImageMaxBytes)
                {
                    problems.Add($"Instagram takes images up to 8 MiB; this one is {Size(facts.Length.Value)}");
                }

                if (format != PostFormat.Story && facts is { Width: > 0, Height: > 0 }
                    && (double)facts.Width / facts.Height.Value is var ratio && (ratio < InstagramMinAspect - 0.005 || ratio > InstagramMaxAspect + 0.005))
                {
                    problems.Add($"Instagram feed images have an aspect ratio from 4:5 to 1.91:1; this one is {facts.Width}×{facts.Height}");
                }

                break;
            case (Platform.Facebook, MediaKind.Image) when format == PostFormat.Story:
                if (type is not null && !FacebookStoryPhotoTypes.Contains(type))
                {
                    problems.Add($"Facebook story photos are JPEG, PNG, BMP, GIF or TIFF; this one is {type}");
                }

                if (facts.Length > FacebookStoryPhotoMaxBytes)
                {
                    problems.Add($"Facebook story photos are at most 4 MB; this one is {Size(facts.Length.Value)}");
                }

                break;
            case (Platform.Facebook, MediaKind.Image):
                if (facts.Length > FacebookPhotoMaxBytes)
                {
                    problems.Add($"Facebook photos are under 10 MB; this one is {Size(facts.Length.Value)}");
                }

                break;
            case (Platform.LinkedIn, MediaKind.Image):
                if (type is not null && !LinkedInImageTypes.Contains(type))
                {
                    problems.Add($"LinkedIn takes JPEG, PNG or GIF images; this one is {type}");
                }

                if (facts is { Width: > 0, Height: > 0 } && (long)facts.Width.Value * facts.Height.Value > LinkedInImageMaxPixels)
                {
                    problems.Add($"LinkedIn images are at most 36,152,320 pixels; this one is {facts.Width}×{facts.Height}");
                }

                break;
            case (Platform.LinkedIn, MediaKind.Document):
                if (facts.Length > LinkedInDocumentMaxBytes)
                {
                    problems.Add($"LinkedIn documents are at most 100 MB; this one is {Size(facts.Length.Value)}");
                }

                break;
            case (Platform.LinkedIn, MediaKind.Video):
                if (facts.Length > LinkedInVideoMaxBytes)
                {
                    problems.Add($"LinkedIn videos are at most 500 MB; this one is {Size(facts.Length.Value)}");
                }

                break;
        }

        return problems;
    }

    private static string Size(long bytes) =>
        bytes >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");

    private static string EnumNames(MediaKind kind) => Common.EnumNames.Of(kind);

    private static string Article(MediaKind kind) => kind == MediaKind.Image ? "an" : "a";
}
