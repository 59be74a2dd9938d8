using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.UnitTests.Posts;

public sealed class PostContentRulesTests
{
    private static readonly string[] OneImage = ["https://cdn.example/a.jpg"];

    [Theory]
    [InlineData(Platform.Facebook, 63_206)]
    [InlineData(Platform.Instagram, 2_200)]
    [InlineData(Platform.LinkedIn, 3_000)]
    public void Check_AcceptsTheLimitAndRefusesOneMore(Platform platform, int max)
    {
        Assert.Empty(PostContentRules.Check(platform, new string('a', max), OneImage));
        var problem = Assert.Single(PostContentRules.Check(platform, new string('a', max + 1), OneImage));
        Assert.Contains(max.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_CountsAnEmojiAsOneCharacter()
    {
        var content = string.Concat(Enumerable.Repeat("😀", 2_200));
        Assert.Equal(2_200, PostContentRules.Length(content));
        Assert.Empty(PostContentRules.Check(Platform.Instagram, content, OneImage));
    }

    [Fact]
    public void Check_Instagram_AllowsThirtyHashtagsNotThirtyOne()
    {
        var thirty = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"#tag{i}"));
        Assert.Empty(PostContentRules.Check(Platform.Instagram, thirty, OneImage));
        Assert.Single(PostContentRules.Check(Platform.Instagram, thirty + " #one_more", OneImage));
    }

    [Fact]
    public void CountHashtags_IgnoresAnchorsInsideWordsAndHtmlEntities()
    {
        Assert.Equal(2, PostContentRules.CountHashtags("#one and #two but not a#b or &#39;"));
    }

    [Fact]
    public void Check_Instagram_NeedsMedia()
    {
        Assert.Contains(PostContentRules.Check(Platform.Instagram, "caption", []), p => p.Contains("image", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Check_RefusesEmptyContent(string content)
    {
        Assert.NotEmpty(PostContentRules.Check(Platform.LinkedIn, content, []));
    }

    private static PostMedia M(string file, string? alt = null) => PostMedia.From($"https://cdn.example/{file}", alt);

    [Theory]
    [InlineData("clip.MP4?sig=1", MediaKind.Video)]
    [InlineData("clip.mov", MediaKind.Video)]
    [InlineData("deck.pdf", MediaKind.Document)]
    [InlineData("deck.PPTX", MediaKind.Document)]
    [InlineData("photo.jpg", MediaKind.Image)]
    [InlineData("photo", MediaKind.Image)]
    public void AMediaKind_FollowsTheFileName_UnlessGiven(string file, MediaKind kind)
    {
        Assert.Equal(kind, M(file).Kind);
        Assert.Equal(MediaKind.Video, PostMedia.From($"https://cdn.example/{file}", kind: MediaKind.Video).Kind);
    }

    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.LinkedIn)]
    public void AVideoPost_CarriesThatVideoAlone(Platform platform)
    {
        Assert.Empty(PostContentRules.Check(platform, PostFormat.Post, "clip", [M("clip.mp4")]));
        Assert.Contains("one video and nothing else", Assert.Single(PostContentRules.Check(platform, PostFormat.Post, "clip", [M("clip.mp4"), M("a.jpg")])), StringComparison.Ordinal);
        // Instagram mixes them in a carousel.
        Assert.Empty(PostContentRules.Check(Platform.Instagram, PostFormat.Post, "clip", [M("clip.mp4"), M("a.jpg")]));
    }

    [Fact]
    public void Documents_GoToLinkedIn_Alone()
    {
        Assert.Empty(PostContentRules.Check(Platform.LinkedIn, PostFormat.Post, "deck", [M("deck.pdf")]));
        Assert.Single(PostContentRules.Check(Platform.LinkedIn, PostFormat.Post, "deck", [M("deck.pdf"), M("a.jpg")]));
        Assert.Contains("documents", Assert.Single(PostContentRules.Check(Platform.Facebook, PostFormat.Post, "deck", [M("deck.pdf")])), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.Instagram)]
    public void AStory_IsOneImageOrVideo_AndNeedsNoText(Platform platform)
    {
        Assert.Empty(PostContentRules.Check(platform, PostFormat.Story, string.Empty, [M("a.jpg")]));
        Assert.Empty(PostContentRules.Check(platform, PostFormat.Story, string.Empty, [M("clip.mp4")]));
        Assert.NotEmpty(PostContentRules.Check(platform, PostFormat.Story, string.Empty, [M("a.jpg"), M("b.jpg")]));
        Assert.NotEmpty(PostContentRules.Check(platform, PostFormat.Story, string.Empty, []));
        Assert.NotEmpty(PostContentRules.Check(Platform.LinkedIn, PostFormat.Story, "x", [M("a.jpg")]));
    }

    [Fact]
    public void AReel_IsOneVideo()
    {
        Assert.Empty(PostContentRules.Check(Platform.Facebook, PostFormat.Reel, "reel", [M("clip.mp4")]));
        Assert.NotEmpty(PostContentRules.Check(Platform.Instagram, PostFormat.Reel, "reel", [M("a.jpg")]));
        Assert.NotEmpty(PostContentRules.Check(Platform.LinkedIn, PostFormat.Reel, "reel", [M("clip.mp4")]));
    }

    [Fact]
    public void AltText_IsCapped_AndInstagramTakesItOnImagesOnly()
    {
        Assert.Empty(PostContentRules.Check(Platform.Instagram, PostFormat.Post, "x", [M("a.jpg", "A red bicycle")]));
        Assert.NotEmpty(PostContentRules.Check(Platform.Instagram, PostFormat.Post, "x", [M("clip.mp4", "A ride")]));
        Assert.NotEmpty(PostContentRules.Check(Platform.Facebook, PostFormat.Post, "x", [M("a.jpg", new string('a', PostContentRules.AltTextMaxLength + 1))]));
    }

    [Fact]
    public void Check_RefusesMoreThanTenMedia()
    {
        var media = Enumerable.Range(0, 11).Select(i => $"https://cdn.example/{i}.jpg").ToList();
        Assert.Single(PostContentRules.Check(Platform.Facebook, "hi", media));
    }

    [Fact]
    public void Messages_ReadTheSameInEveryCulture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var problem = Assert.Single(PostContentRules.Check(Platform.Facebook, new string('a', 63_207), []));
            Assert.Contains("at most 63,206 characters; this content has 63,207", problem, StringComparison.Ordinal);
            Assert.Contains("9.5 MiB", Assert.Single(MediaRules.Check(
                Platform.Instagram, PostFormat.Post, PostMedia.From("https://cdn.example/a.jpg"), new MediaFacts("image/jpeg", 9_961_472))), StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }
}
