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

    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.LinkedIn)]
    public void Check_RefusesVideosWhereOnlyImagesArePublished(Platform platform)
    {
        var problem = Assert.Single(PostContentRules.Check(platform, "clip", ["https://cdn.example/clip.MP4?sig=1"]));
        Assert.Contains("images only", problem, StringComparison.Ordinal);
        Assert.Empty(PostContentRules.Check(Platform.Instagram, "clip", ["https://cdn.example/clip.mov"]));
        Assert.Empty(PostContentRules.Check(platform, "photo", ["https://cdn.example/photo.jpg"]));
    }

    [Fact]
    public void Check_RefusesMoreThanTenMedia()
    {
        var media = Enumerable.Range(0, 11).Select(i => $"https://cdn.example/{i}.jpg").ToList();
        Assert.Single(PostContentRules.Check(Platform.Facebook, "hi", media));
    }
}
