using System.Globalization;
using System.Text.RegularExpressions;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts;

/// <summary>What each platform accepts in a post. Lengths count Unicode characters (runes), not UTF-16 units.</summary>
public static partial class PostContentRules
{
    public const int FacebookMaxLength = 63_206;
    public const int InstagramMaxLength = 2_200;
    public const int InstagramMaxHashtags = 30;
    public const int InstagramMaxMedia = 10;
    public const int LinkedInMaxLength = 3_000;
    public const int MaxMediaUrls = 10;
    public const int MediaUrlMaxLength = 2_048;
    public const int LinkMaxLength = 2_048;

    /// <summary>A first comment's length on Facebook (the Page comment box's limit).</summary>
    public const int FacebookCommentMaxLength = 8_000;

    /// <summary>A first comment's length on Instagram (a caption's limit; comments share it).</summary>
    public const int InstagramCommentMaxLength = 2_200;

    /// <summary>A first comment's length on LinkedIn (the comment box's limit).</summary>
    public const int LinkedInCommentMaxLength = 1_250;

    /// <summary>Scheduler's cap on alternative text (the platforms' own limits are higher or undocumented).</summary>
    public const int AltTextMaxLength = 1_000;

    /// <summary>LinkedIn's multi-image posts take 2–20 images; a post here carries at most <see cref="MaxMediaUrls"/>.</summary>
    public const int LinkedInMaxImages = 20;

    public static int MaxLength(Platform platform) => platform switch
    {
        Platform.Facebook => FacebookMaxLength,
        Platform.Instagram => InstagramMaxLength,
        Platform.LinkedIn => LinkedInMaxLength,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public static int CommentMaxLength(Platform platform) => platform switch
    {
        Platform.Facebook => FacebookCommentMaxLength,
        Platform.Instagram => InstagramCommentMaxLength,
        Platform.LinkedIn => LinkedInCommentMaxLength,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>
    /// Every rule a first comment breaks on the platform in that format; empty when it is acceptable (or absent).
    /// Stories take no comments on either platform.
    /// </summary>
    public static IReadOnlyList<string> CheckFirstComment(Platform platform, PostFormat format, string? comment)
    {
        if (comment is null)
        {
            return [];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(comment))
        {
            problems.Add("A first comment needs text; leave firstComment out for none.");
        }

        var max = CommentMaxLength(platform);
        if (Length(comment) > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"A {platform} comment is at most {max:N0} characters; this first comment has {Length(comment):N0}."));
        }

        if (format == PostFormat.Story)
        {
            problems.Add("A story takes no comments; leave firstComment out.");
        }

        return problems;
    }

    public static int Length(string content) => content.EnumerateRunes().Count();

    private static readonly string[] VideoExtensions = [".mp4", ".mov"];
    private static readonly string[] DocumentExtensions = [".pdf", ".ppt", ".pptx", ".doc", ".docx"];

    /// <summary>The kind a media URL's file name says: .mp4/.mov a video, .pdf/.ppt(x)/.doc(x) a document, else an image.</summary>
    public static MediaKind KindOf(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return VideoExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ? MediaKind.Video
            : DocumentExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ? MediaKind.Document
            : MediaKind.Image;
    }

    public static int CountHashtags(string content) => Hashtag().Count(content);

    /// <summary>Every rule the content breaks for the platform; empty when the post is acceptable.</summary>
    public static IReadOnlyList<string> Check(Platform platform, string content, IReadOnlyCollection<string> mediaUrls) =>
        Check(platform, PostFormat.Post, content, [.. mediaUrls.Select(u => PostMedia.From(u))]);

    /// <summary>Every rule the post breaks on the platform in that format; empty when the post is acceptable.</summary>
    public static IReadOnlyList<string> Check(Platform platform, PostFormat format, string content, IReadOnlyList<PostMedia> media)
    {
        var problems = new List<string>();
        var max = MaxLength(platform);
        if (Length(content) > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{platform} accepts at most {max:N0} characters; this content has {Length(content):N0}."));
        }

        // A story carries no text on either platform: its content is optional.
        if (string.IsNullOrWhiteSpace(content) && format != PostFormat.Story)
        {
            problems.Add("A post needs content.");
        }

        if (media.Count > MaxMediaUrls)
        {
            problems.Add($"A post carries at most {MaxMediaUrls} media items.");
        }

        var images = media.Count(m => m.Kind == MediaKind.Image);
        var videos = media.Count(m => m.Kind == MediaKind.Video);
        var documents = media.Count(m => m.Kind == MediaKind.Document);
        if (media.Any(m => m.AltText is { } alt && Length(alt) > AltTextMaxLength))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Alternative text is at most {AltTextMaxLength:N0} characters."));
        }

        switch (format)
        {
            case PostFormat.Story when platform == Platform.LinkedIn:
                problems.Add("LinkedIn has no stories.");
                break;
            case PostFormat.Story when media.Count != 1 || documents > 0:
                problems.Add($"A {platform} story is exactly one image or one video.");
                break;
            case PostFormat.Reel when platform == Platform.LinkedIn:
                problems.Add("LinkedIn has no reels; post the video with format \"post\".");
                break;
            case PostFormat.Reel when media.Count != 1 || videos != 1:
                problems.Add($"A {platform} reel is exactly one video.");
                break;
            case PostFormat.Post:
                problems.AddRange(CheckFeedMedia(platform, content, images, videos, documents));
                break;
        }

        if (platform == Platform.Instagram && media.Any(m => m.AltText is not null && m.Kind != MediaKind.Image))
        {
            problems.Add("Instagram takes alternative text on images only.");
        }

        if (media.Any(m => m.AltText is not null && m.Kind == MediaKind.Document))
        {
            problems.Add("A document takes no alternative text; its title is its file name.");
        }

        return problems;
    }

    private static IEnumerable<string> CheckFeedMedia(Platform platform, string content, int images, int videos, int documents)
    {
        if (platform == Platform.Instagram)
        {
            var hashtags = CountHashtags(content);
            if (hashtags > InstagramMaxHashtags)
            {
                yield return $"Instagram accepts at most {InstagramMaxHashtags} hashtags; this content has {hashtags}.";
            }

            if (images + videos + documents == 0)
            {
                yield return "Instagram posts need at least one image or video.";
            }
        }

        if (documents > 0 && platform != Platform.LinkedIn)
        {
            yield return $"{platform} takes no documents; documents (PDF, PowerPoint, Word) are published to LinkedIn.";
        }
        else if (documents > 1 || (documents == 1 && images + videos > 0))
        {
            yield return "A LinkedIn document post carries that one document and nothing else.";
        }

        if (videos > 0 && platform != Platform.Instagram && images + videos > 1)
        {
            yield return $"A {platform} video post carries that one video and nothing else.";
        }
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}_&])#[\p{L}\p{N}_]+", RegexOptions.CultureInvariant)]
    private static partial Regex Hashtag();
}
