using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.UnitTests.Posts;

public sealed class MediaRulesTests
{
    private static readonly PostMedia Image = PostMedia.From("https://cdn.example/a.jpg");

    [Fact]
    public void UnknownFacts_AreNotHeldAgainstAFile()
    {
        foreach (var platform in Enum.GetValues<Platform>())
        {
            Assert.Empty(MediaRules.Check(platform, PostFormat.Post, Image, new MediaFacts(null, null)));
            Assert.Empty(MediaRules.Check(platform, PostFormat.Post, Image, new MediaFacts("application/octet-stream", null)));
        }
    }

    [Theory]
    [InlineData(1080, 1350, true)] // 4:5
    [InlineData(1080, 566, true)] // 1.91:1
    [InlineData(1080, 1920, false)] // 9:16
    [InlineData(3000, 1000, false)] // 3:1
    public void InstagramFeedImages_KeepToTheirAspectRatios_StoriesDoNot(int width, int height, bool feedAccepts)
    {
        var facts = new MediaFacts("image/jpeg", 500_000, width, height);
        Assert.Equal(feedAccepts, MediaRules.Check(Platform.Instagram, PostFormat.Post, Image, facts).Count == 0);
        Assert.Empty(MediaRules.Check(Platform.Instagram, PostFormat.Story, Image, facts));
    }

    [Fact]
    public void SizeAndTypeLimits_ArePerPlatformAndFormat()
    {
        var png5mb = new MediaFacts("image/png", 5_000_000);
        Assert.NotEmpty(MediaRules.Check(Platform.Instagram, PostFormat.Post, Image, png5mb)); // JPEG only
        Assert.Empty(MediaRules.Check(Platform.Facebook, PostFormat.Post, Image, png5mb));
        Assert.NotEmpty(MediaRules.Check(Platform.Facebook, PostFormat.Story, Image, png5mb)); // stories ≤ 4 MB
        Assert.Empty(MediaRules.Check(Platform.LinkedIn, PostFormat.Post, Image, png5mb));
        Assert.NotEmpty(MediaRules.Check(Platform.LinkedIn, PostFormat.Post, Image, new MediaFacts("image/webp", 1_000)));
        Assert.NotEmpty(MediaRules.Check(Platform.LinkedIn, PostFormat.Post, PostMedia.From("https://cdn.example/d.pdf"), new MediaFacts("application/pdf", 101L * 1024 * 1024)));
    }

    [Fact]
    public void AFileOfAnotherKind_IsNamedForWhatItIs()
    {
        var problem = Assert.Single(MediaRules.Check(Platform.Facebook, PostFormat.Post, PostMedia.From("https://cdn.example/v.mp4"), new MediaFacts("image/jpeg", 1_000)));
        Assert.Equal("it is image/jpeg, not a video", problem);
    }
}
