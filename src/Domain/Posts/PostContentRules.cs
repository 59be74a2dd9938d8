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

    public static int MaxLength(Platform platform) => platform switch
    {
        Platform.Facebook => FacebookMaxLength,
        Platform.Instagram => InstagramMaxLength,
        Platform.LinkedIn => LinkedInMaxLength,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public static int Length(string content) => content.EnumerateRunes().Count();

    /// <summary>A video by its file name (.mp4, .mov), as the platforms' upload endpoints tell them apart.</summary>
    public static bool IsVideo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.AbsolutePath.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.EndsWith(".mov", StringComparison.OrdinalIgnoreCase));

    public static int CountHashtags(string content) => Hashtag().Count(content);

    /// <summary>Every rule the content breaks for the platform; empty when the post is acceptable.</summary>
    public static IReadOnlyList<string> Check(Platform platform, string content, IReadOnlyCollection<string> mediaUrls)
    {
        var problems = new List<string>();
        var max = MaxLength(platform);
        if (Length(content) > max)
        {
            problems.Add($"{platform} accepts at most {max:N0} characters; this content has {Length(content):N0}.");
        }

        if (platform == Platform.Instagram)
        {
            var hashtags = CountHashtags(content);
            if (hashtags > InstagramMaxHashtags)
            {
                problems.Add($"Instagram accepts at most {InstagramMaxHashtags} hashtags; this content has {hashtags}.");
            }

            if (mediaUrls.Count == 0)
            {
                problems.Add("Instagram posts need at least one image or video in mediaUrls.");
            }
        }

        if (string.IsNullOrWhiteSpace(content))
        {
            problems.Add("A post needs content.");
        }

        if (mediaUrls.Count > MaxMediaUrls)
        {
            problems.Add($"A post carries at most {MaxMediaUrls} media items.");
        }

        if (platform != Platform.Instagram && mediaUrls.Any(IsVideo))
        {
            problems.Add($"{platform} posts take images only; videos are published to Instagram (as reels).");
        }

        return problems;
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}_&])#[\p{L}\p{N}_]+", RegexOptions.CultureInvariant)]
    private static partial Regex Hashtag();
}
