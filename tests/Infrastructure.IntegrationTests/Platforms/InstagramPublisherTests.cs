using System.Web;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The live Instagram publisher against a local fake of the Graph API's content-publishing endpoints.</summary>
public sealed class InstagramPublisherTests() : FakePlatformTest(Platform.Instagram, ("Platforms:Instagram:StatusPollSeconds", "0.05"), ("Platforms:Instagram:StatusPollMaxSeconds", "1"))
{
    private const string User = "17841400008460056";
    private const string Token = "IGQ-token-secret";

    private static PublishRequest Post(string? state = null, params string[] media) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.Instagram, User, Token, "Caption #one", media, null, 1,
            Guid.CreateVersion7(), state);

    private void Quota(int used, int total = 100) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/content_publishing_limit").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody($$$"""{"data":[{"quota_usage":{{{used}}},"config":{"quota_total":{{{total}}},"quota_duration":86400}}]}"""));

    private void Container(string id, string match) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/media").UsingPost().WithBody(b => b!.Contains(match, StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{id}}"}"""));

    private void Status(string container, params string[] codes)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            var step = Request.Create().WithPath($"/v26.0/{container}").UsingGet();
            var respond = Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{container}}","status_code":"{{codes[i]}}","status":"{{codes[i]}}: 2207026"}""");
            var given = Fake.Given(step).InScenario(container);
            given = i == 0 ? given.WillSetStateTo($"{container}-1") : given.WhenStateIs($"{container}-{i}").WillSetStateTo($"{container}-{i + 1}");
            given.RespondWith(respond);
        }
    }

    private void Publish(string mediaId) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/media_publish").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{mediaId}}"}"""));

    private List<WireMock.Logging.ILogEntry> Calls(string path) =>
        [.. Fake.LogEntries.Where(e => e.RequestMessage.Path == path)];

    [Fact]
    public async Task ALeaseLostWhenTheContainerIdIsSaved_StopsThePublish_BeforeMediaPublish()
    {
        Quota(2);
        Container("C1", "image_url");
        Status("C1", "FINISHED");
        Publish("17920238422030506");
        States.LeaseHeld = false;

        await Assert.ThrowsAsync<LeaseLostException>(() => Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg"), Ct));

        Assert.Single(Calls($"/v26.0/{User}/media"));
        Assert.Empty(Calls($"/v26.0/{User}/media_publish"));
        Assert.Empty(States.Saved);
    }

    [Fact]
    public async Task AnImage_CreatesAContainer_WaitsForFinished_ThenPublishesIt()
    {
        Quota(2);
        Container("C1", "image_url");
        Status("C1", "IN_PROGRESS", "FINISHED");
        Publish("17920238422030506");

        var outcome = await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg"), Ct);

        Assert.Equal("17920238422030506", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var create = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{User}/media")).RequestMessage.Body!);
        Assert.Equal("https://cdn.example/a.jpg", create["image_url"]);
        Assert.Equal("Caption #one", create["caption"]);
        Assert.Equal(2, Calls("/v26.0/C1").Count);
        var publish = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{User}/media_publish")).RequestMessage.Body!);
        Assert.Equal("C1", publish["creation_id"]);
        Assert.All(Fake.LogEntries, e => Assert.Equal($"Bearer {Token}", e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task ACarousel_MakesChildContainersThenTheParent()
    {
        Quota(0);
        Container("K1", "a.jpg");
        Container("K2", "b.mp4");
        Container("P1", "CAROUSEL");
        Status("P1", "FINISHED");
        Publish("M1");

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg", "https://cdn.example/b.mp4"), Ct));

        var creates = Calls($"/v26.0/{User}/media").Select(c => HttpUtility.ParseQueryString(c.RequestMessage.Body!)).ToList();
        Assert.Equal(3, creates.Count);
        Assert.Equal(("true", "https://cdn.example/a.jpg"), (creates[0]["is_carousel_item"], creates[0]["image_url"]));
        Assert.Equal(("true", "VIDEO", "https://cdn.example/b.mp4"), (creates[1]["is_carousel_item"], creates[1]["media_type"], creates[1]["video_url"]));
        Assert.Equal(("CAROUSEL", "K1,K2", "Caption #one"), (creates[2]["media_type"], creates[2]["children"], creates[2]["caption"]));
    }

    [Fact]
    public async Task AVideo_IsAReel()
    {
        Quota(0);
        Container("R1", "REELS");
        Status("R1", "FINISHED");
        Publish("M2");

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post(null, "https://cdn.example/clip.mp4"), Ct));
        var create = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{User}/media")).RequestMessage.Body!);
        Assert.Equal(("REELS", "https://cdn.example/clip.mp4"), (create["media_type"], create["video_url"]));
    }

    [Theory]
    [InlineData("ERROR", typeof(PublishOutcome.Permanent))]
    [InlineData("EXPIRED", typeof(PublishOutcome.Transient))]
    [InlineData("IN_PROGRESS", typeof(PublishOutcome.Transient))]
    public async Task AContainerThatDoesNotFinish_IsNotPublished(string status, Type expected)
    {
        Quota(0);
        Container("E1", "image_url");
        Status("E1", Enumerable.Repeat(status, 50).ToArray());

        Assert.IsType(expected, await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg"), Ct));
        Assert.Empty(Calls($"/v26.0/{User}/media_publish"));
    }

    [Fact]
    public async Task AUsedUpQuota_DefersWithoutMakingAContainer()
    {
        Quota(100, 100);

        Assert.IsType<PublishOutcome.RateLimited>(await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg"), Ct));
        Assert.Empty(Calls($"/v26.0/{User}/media"));
    }

    [Fact]
    public async Task TheDailyLimitAtPublishTime_DefersThePost()
    {
        Quota(0);
        Container("D1", "image_url");
        Status("D1", "FINISHED");
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/media_publish").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"error":{"message":"Application request limit reached","type":"OAuthException","code":9,"error_subcode":2207042,"is_transient":false,"fbtrace_id":"x"}}"""));

        Assert.IsType<PublishOutcome.RateLimited>(await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg"), Ct));
    }

    [Fact]
    public async Task AStoredContainer_IsResumed_NotMadeAgain()
    {
        Quota(0);
        Status("S1", "FINISHED");
        Publish("M3");

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post("""{"containerId":"S1"}""", "https://cdn.example/a.jpg"), Ct));
        Assert.Empty(Calls($"/v26.0/{User}/media"));
    }

    [Fact]
    public async Task Reconciliation_APublishedContainer_IsFoundAsItsMedia()
    {
        Status("S2", "PUBLISHED");
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/media").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                """{"data":[{"id":"900","caption":"Other","timestamp":"2026-09-05T14:33:01+0000"},{"id":"901","caption":"Caption #one","timestamp":"2026-09-05T14:34:01+0000"}]}"""));

        Assert.Equal("901", await Publisher.FindExistingAsync(Post("""{"containerId":"S2"}"""), DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task Reconciliation_AnUnpublishedContainer_IsNotFound()
    {
        Status("S3", "FINISHED");
        Assert.Null(await Publisher.FindExistingAsync(Post("""{"containerId":"S3"}"""), DateTimeOffset.UtcNow, Ct));
    }
}
