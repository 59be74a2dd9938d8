using System.Web;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The live Instagram publisher against a local fake of the Graph API's content-publishing endpoints.</summary>
public sealed class InstagramPublisherTests() : FakePlatformTest(
    Platform.Instagram,
    ("Platforms:Instagram:StatusPollSeconds", "0.05"),
    ("Platforms:Instagram:StatusPollMaxSeconds", "1"),
    ("Platforms:Instagram:InstagramLoginBaseUrl", "{fake}/instagram-host"))
{
    private const string User = "17841400008460056";
    private const string Token = "IGQ-token-secret";

    private static PublishRequest Post(string? state = null, params string[] media) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.Instagram, User, Token, "Caption #one", [.. media.Select(u => PostMedia.From(u))], null, 1,
            Guid.CreateVersion7(), state, DateTimeOffset.UtcNow.AddMinutes(-1));

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "+0000";

    private void Answer(string path, string method, int status, string body) =>
        Fake.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

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
        Status("K1", "FINISHED");
        Status("K2", "FINISHED");
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
    [InlineData("IN_PROGRESS", typeof(PublishOutcome.NotReady))]
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
    public async Task Reconciliation_APublishedContainer_IsItsMediaCreatedSinceThePostsTime_ElseTheContainersOwnId()
    {
        Status("S2", "PUBLISHED", "PUBLISHED");
        var now = DateTimeOffset.UtcNow;
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/media").UsingGet()).InScenario("media").WillSetStateTo("later")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                $$"""{"data":[{"id":"900","caption":"Other","timestamp":"{{Stamp(now)}}"},{"id":"901","caption":"Caption #one","timestamp":"{{Stamp(now)}}"}]}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{User}/media").UsingGet()).InScenario("media").WhenStateIs("later")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                $$"""{"data":[{"id":"800","caption":"Caption #one","timestamp":"{{Stamp(now.AddDays(-3))}}"}]}"""));

        Assert.Equal("901", await Publisher.FindExistingAsync(Post("""{"containerId":"S2"}"""), now, Ct));
        // Only an older post with the same caption: it is not this one; the container's own id stands for it.
        Assert.Equal("S2", await Publisher.FindExistingAsync(Post("""{"containerId":"S2"}"""), now, Ct));
    }

    [Fact]
    public async Task Reconciliation_WithoutAContainer_IsNotFound_WithoutGuessingFromCaptions()
    {
        Assert.Null(await Publisher.FindExistingAsync(Post(), DateTimeOffset.UtcNow, Ct));
        Assert.Empty(Fake.LogEntries);
    }

    [Fact]
    public async Task ACarousel_WaitsForEveryChild_AndAChildStillProcessingSpendsNoAttempt()
    {
        Quota(0);
        Container("K1", "a.jpg");
        Container("K2", "b.mp4");
        Status("K1", "FINISHED");
        Status("K2", Enumerable.Repeat("IN_PROGRESS", 50).ToArray());

        Assert.IsType<PublishOutcome.NotReady>(
            await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg", "https://cdn.example/b.mp4"), Ct));

        Assert.Equal(2, Calls($"/v26.0/{User}/media").Count); // the children; no parent of unfinished children
        Assert.Equal(["K1", "K2"], PlatformState.Parse(States.Saved.Last()).Children);
    }

    [Fact]
    public async Task ACarouselRetry_ResumesItsSavedChildren()
    {
        Quota(0);
        Container("K3", "b.jpg");
        Container("P2", "CAROUSEL");
        Status("K1", "FINISHED");
        Status("K3", "FINISHED");
        Status("P2", "FINISHED");
        Publish("M9");

        var retry = Post(new PlatformState { Children = ["K1"] }.Serialize(), "https://cdn.example/a.jpg", "https://cdn.example/b.jpg");
        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct));

        var creates = Calls($"/v26.0/{User}/media").Select(c => HttpUtility.ParseQueryString(c.RequestMessage.Body!)).ToList();
        Assert.Equal(["https://cdn.example/b.jpg", null], creates.Select(c => c["image_url"]));
        Assert.Equal("K1,K3", creates[1]["children"]);
    }

    [Fact]
    public async Task AContainerInErrorWithARetryableCode_IsDropped_AndTriedAgain()
    {
        Quota(0);
        Answer("/v26.0/E2", "GET", 200, """{"id":"E2","status_code":"ERROR","status":"Error: Media upload has failed with error code 2207082"}""");

        Assert.IsType<PublishOutcome.Transient>(await Publisher.PublishAsync(Post("""{"containerId":"E2"}""", "https://cdn.example/a.jpg"), Ct));
        Assert.Null(PlatformState.Parse(Assert.Single(States.Saved)).ContainerId);
    }

    [Theory]
    [InlineData(24, 2207008)]
    [InlineData(-2, 2207020)]
    [InlineData(-1, 2207053)]
    public async Task APublishAnswerAskingForANewContainer_DropsTheOldOne(int code, int subcode)
    {
        Quota(0);
        Status("S4", "FINISHED");
        Answer($"/v26.0/{User}/media_publish", "POST", 400,
            $$"""{"error":{"message":"Media builder expired","type":"OAuthException","code":{{code}},"error_subcode":{{subcode}},"is_transient":false,"fbtrace_id":"x"} }""");

        Assert.IsType<PublishOutcome.Transient>(await Publisher.PublishAsync(Post("""{"containerId":"S4"}""", "https://cdn.example/a.jpg"), Ct));
        Assert.Null(PlatformState.Parse(Assert.Single(States.Saved)).ContainerId);
    }

    [Fact]
    public async Task DoesNotExistForAValidContainer_IsReadAgain_NotAFailure()
    {
        Quota(0);
        var steps = Fake.Given(Request.Create().WithPath("/v26.0/S5").UsingGet()).InScenario("S5");
        steps.WillSetStateTo("found").RespondWith(Response.Create().WithStatusCode(400).WithBody(
            """{"error":{"message":"Unsupported get request. Object with ID 'S5' does not exist, cannot be loaded due to missing permissions, or does not support this operation","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"x"}}"""));
        Fake.Given(Request.Create().WithPath("/v26.0/S5").UsingGet()).InScenario("S5").WhenStateIs("found")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"S5","status_code":"FINISHED"}"""));
        Publish("M5");

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post("""{"containerId":"S5"}""", "https://cdn.example/a.jpg"), Ct));
    }

    [Fact]
    public async Task AMediaFetchFailureAtContainerCreation_IsRetried_NotFailed()
    {
        Quota(0);
        Answer($"/v26.0/{User}/media", "POST", 400,
            """{"error":{"message":"Media download has failed","type":"OAuthException","code":9004,"error_subcode":2207052,"is_transient":false,"fbtrace_id":"x"}}""");

        Assert.IsType<PublishOutcome.Transient>(await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg"), Ct));
    }

    [Fact]
    public async Task RestrictedAsSpam_FailsThePost_InsteadOfWaitingForever()
    {
        Quota(0);
        Status("S6", "FINISHED");
        Answer($"/v26.0/{User}/media_publish", "POST", 400,
            """{"error":{"message":"Restricted","type":"OAuthException","code":4,"error_subcode":2207051,"is_transient":false,"fbtrace_id":"x"}}""");

        Assert.IsType<PublishOutcome.Permanent>(await Publisher.PublishAsync(Post("""{"containerId":"S6"}""", "https://cdn.example/a.jpg"), Ct));
    }

    [Fact]
    public async Task Reconciliation_AnUnpublishedContainer_IsNotFound()
    {
        Status("S3", "FINISHED");
        Assert.Null(await Publisher.FindExistingAsync(Post("""{"containerId":"S3"}"""), DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task ImagesCarryTheirAlternativeText_InASinglePostAndInACarousel()
    {
        Quota(0);
        Container("A1", "single.jpg");
        Status("A1", "FINISHED");
        Publish("M20");
        var single = Post() with { Media = [PostMedia.From("https://cdn.example/single.jpg", "A cat asleep on a keyboard")] };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(single, Ct));

        var create = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{User}/media")).RequestMessage.Body!);
        Assert.Equal(("https://cdn.example/single.jpg", "A cat asleep on a keyboard"), (create["image_url"], create["alt_text"]));

        Fake.Reset();
        Quota(0);
        Container("K5", "one.jpg");
        Container("K6", "two.mp4");
        Container("P5", "CAROUSEL");
        Status("K5", "FINISHED");
        Status("K6", "FINISHED");
        Status("P5", "FINISHED");
        Publish("M21");
        var carousel = Post() with
        {
            Media = [PostMedia.From("https://cdn.example/one.jpg", "First view"), PostMedia.From("https://cdn.example/two.mp4")],
        };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(carousel, Ct));
        var children = Calls($"/v26.0/{User}/media").Select(c => HttpUtility.ParseQueryString(c.RequestMessage.Body!)).ToList();
        Assert.Equal(("First view", null), (children[0]["alt_text"], children[1]["alt_text"]));
    }

    [Theory]
    [InlineData("https://cdn.example/story.jpg", "image_url")]
    [InlineData("https://cdn.example/story.mp4", "video_url")]
    public async Task AStory_IsAStoriesContainerWithoutCaption_AndItsContainerStandsForItWhenPublished(string url, string field)
    {
        Quota(0);
        Container("ST1", "STORIES");
        Status("ST1", "FINISHED", "PUBLISHED");
        Publish("M30");
        var story = Post() with { Format = PostFormat.Story, Media = [PostMedia.From(url)] };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(story, Ct));

        var create = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{User}/media")).RequestMessage.Body!);
        Assert.Equal(("STORIES", url, null), (create["media_type"], create[field], create["caption"]));
        Assert.Equal("ST1", await Publisher.FindExistingAsync(story with { PlatformState = States.Saved.Last() }, DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task AnAccountConnectedThroughInstagramLogin_IsCalledOnTheInstagramHost()
    {
        const string host = "/instagram-host";
        Answer($"{host}/v26.0/{User}/content_publishing_limit", "GET", 200, """{"data":[{"quota_usage":0,"config":{"quota_total":100}}]}""");
        Answer($"{host}/v26.0/{User}/media", "POST", 200, """{"id":"IL1"}""");
        Answer($"{host}/v26.0/IL1", "GET", 200, """{"id":"IL1","status_code":"FINISHED"}""");
        Answer($"{host}/v26.0/{User}/media_publish", "POST", 200, """{"id":"M40"}""");

        var outcome = await Publisher.PublishAsync(Post(null, "https://cdn.example/a.jpg") with { Login = AccountLogin.Instagram }, Ct);

        Assert.Equal("M40", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        Assert.All(Fake.LogEntries, e => Assert.StartsWith(host, e.RequestMessage.Path, StringComparison.Ordinal));
        Assert.Equal(4, Fake.LogEntries.Count);
    }

    [Fact]
    public async Task AFirstComment_IsPostedOnTheMedia_AndFoundAgainByItsText()
    {
        const string Media = "17895695668004550";
        Answer($"/v26.0/{Media}/comments", "POST", 200, """{"id":"17870913679156914"}""");
        Answer($"/v26.0/{Media}/comments", "GET", 200, $$$"""
            {"data":[{"id":"17873440459141021","text":"Love it","from":{"id":"1234","username":"fan"}},
                     {"id":"17870913679156914","text":"Tap the link in bio #menu","from":{"id":"{{{User}}}","username":"us"}}]}
            """);

        var outcome = await Publisher.CommentAsync(Post(), Media, "Tap the link in bio #menu", Ct);

        Assert.Equal("17870913679156914", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var call = Assert.Single(Fake.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.Equal("Tap the link in bio #menu", HttpUtility.ParseQueryString(call.Body!)["message"]);
        Assert.Equal($"Bearer {Token}", call.Headers!["Authorization"].Single());
        Assert.Equal("17870913679156914", await Publisher.FindCommentAsync(Post(), Media, "Tap the link in bio #menu", Ct));
        Assert.Null(await Publisher.FindCommentAsync(Post(), Media, "Another text", Ct));
    }

    [Fact]
    public async Task AFirstCommentOnAnInstagramLoginAccount_GoesToItsOwnHost_AndAnExpiredTokenSaysSo()
    {
        const string Media = "17895695668004551";
        Answer($"/instagram-host/v26.0/{Media}/comments", "POST", 400,
            """{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x"}}""");

        var outcome = await Publisher.CommentAsync(Post() with { Login = AccountLogin.Instagram }, Media, "Hello", Ct);

        Assert.IsType<PublishOutcome.AuthInvalid>(outcome);
        Assert.Single(Fake.LogEntries, e => e.RequestMessage.Path == $"/instagram-host/v26.0/{Media}/comments");
    }
}
