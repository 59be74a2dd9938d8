using Scheduler.Infrastructure.Media;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

public sealed class LinkPreviewsTests
{
    [Fact]
    public void OpenGraphTags_WinOverThePagesOwnTitle_AndARelativeImageIsMadeAbsolute()
    {
        var preview = LinkPreviews.Parse(
            """<html><head><title>Page</title><meta property="og:title" content=" OG title "><meta name="description" content="Plain description"><meta property="og:image" content="/i.jpg"></head></html>""",
            new Uri("https://example.com/a/b"));

        Assert.Equal(new LinkPreview("OG title", "Plain description", "https://example.com/i.jpg"), preview);
    }

    [Fact]
    public void WithoutOpenGraph_ThePagesTitleIsUsed_AndAnImageThatIsNoWebAddressIsLeftOut()
    {
        var preview = LinkPreviews.Parse(
            """<html><head><title>Just a page</title><meta property="og:image" content="data:image/png;base64,AAAA"></head></html>""",
            new Uri("https://example.com/"));

        Assert.Equal(new LinkPreview("Just a page", null, null), preview);
    }
}
