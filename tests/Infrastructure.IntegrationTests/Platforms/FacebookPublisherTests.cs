using System.Web;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Platforms;
using Scheduler.Domain.SocialAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The live Facebook publisher against a local fake of the Graph API serving the documented shapes.</summary>
public sealed class FacebookPublisherTests() : FakePlatformTest(Platform.Facebook, ("Platforms:Facebook:AttemptTimeoutSeconds", "1"))
{
    private const string Page = "723701000827665";
    private const string Token = "EAAB-page-token-secret";

    private static PublishRequest Post(string content = "Hello Page", string? link = null, params string[] media) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.Facebook, Page, Token, content, media, link, 1, Guid.CreateVersion7());

    [Fact]
    public async Task ATextAndLinkPost_GoesToTheFeed_WithTheTokenInTheAuthorizationHeaderOnly()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody("""{"id":"723701000827665_122168909288960180","post_supports_client_mutation_id":true}"""));

        var outcome = await Publisher.PublishAsync(Post("Hello Page", "https://example.com/a"), Ct);

        Assert.Equal("723701000827665_122168909288960180", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var call = Assert.Single(Fake.LogEntries).RequestMessage;
        var form = HttpUtility.ParseQueryString(call.Body!);
        Assert.Equal("POST", call.Method);
        Assert.Equal("Hello Page", form["message"]);
        Assert.Equal("https://example.com/a", form["link"]);
        Assert.Null(form["access_token"]);
        Assert.Equal($"Bearer {Token}", call.Headers!["Authorization"].Single());
        Assert.DoesNotContain(Token, call.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(Logs, line => line.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APhotoPost_UploadsEachImageUnpublished_ThenAttachesThemInOrder()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost().WithBody(b => b!.Contains("a.jpg", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"111"}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost().WithBody(b => b!.Contains("b.jpg", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"222","post_id":"723701000827665_9"}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"723701000827665_333"}"""));

        var outcome = await Publisher.PublishAsync(Post("Two photos", null, "https://cdn.example/a.jpg", "https://cdn.example/b.jpg"), Ct);

        Assert.IsType<PublishOutcome.Published>(outcome);
        var calls = Fake.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(3, calls.Count);
        var uploads = calls.Take(2).Select(c => HttpUtility.ParseQueryString(c.Body!)).ToList();
        Assert.Equal(["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"], uploads.Select(u => u["url"]));
        Assert.All(uploads, u => Assert.Equal("false", u["published"]));
        var feed = HttpUtility.ParseQueryString(calls[2].Body!);
        Assert.Equal("""{"media_fbid":"111"}""", feed["attached_media[0]"]);
        Assert.Equal("""{"media_fbid":"222"}""", feed["attached_media[1]"]);
    }

    [Fact]
    public async Task ARetry_ReusesThePhotosAlreadyUploaded()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"723701000827665_444"}"""));
        var retry = Post("Again", null, "https://cdn.example/a.jpg") with
        {
            PlatformState = """{"media":{"https://cdn.example/a.jpg":"111"}}""",
        };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct));

        var call = Assert.Single(Fake.LogEntries).RequestMessage;
        Assert.Equal("""{"media_fbid":"111"}""", HttpUtility.ParseQueryString(call.Body!)["attached_media[0]"]);
    }

    public static TheoryData<int, string, Type> Answers() => new()
    {
        { 400, """{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x"}}""", typeof(PublishOutcome.AuthInvalid) },
        { 500, """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Transient) },
        { 403, """{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"is_transient":true,"fbtrace_id":"x"}}""", typeof(PublishOutcome.RateLimited) },
        { 400, """{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"x"}}""", typeof(PublishOutcome.RateLimited) },
        { 403, """{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Permanent) },
        { 400, """{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Permanent) },
        { 400, """{"error":{"message":"(#506) Duplicate status message","type":"OAuthException","code":506,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Duplicate) },
        { 400, """{"error":{"message":"(#368) The action attempted has been deemed abusive","type":"OAuthException","code":368,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Permanent) },
        { 502, "<html>Bad Gateway</html>", typeof(PublishOutcome.Unknown) },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EachDocumentedAnswer_IsClassified(int status, string body, Type expected)
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

        Assert.IsType(expected, await Publisher.PublishAsync(Post(), Ct));
        Assert.Single(Fake.LogEntries); // a publish POST is never retried by the HTTP pipeline
    }

    [Fact]
    public async Task ATimeoutAfterSending_IsUnknown_AndNotRetried()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"1_2"}""").WithDelay(TimeSpan.FromSeconds(3)));

        Assert.IsType<PublishOutcome.Unknown>(await Publisher.PublishAsync(Post(), Ct));
        await Task.Delay(TimeSpan.FromSeconds(3.5), Ct); // the fake logs a request once its delayed answer is sent
        Assert.Single(Fake.LogEntries);
    }

    [Fact]
    public async Task Reconciliation_FindsThePostByItsMessageSinceTheAttempt()
    {
        var started = DateTimeOffset.UtcNow;
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""
                {"data":[{"id":"723701000827665_1","message":"Something else","created_time":"2026-11-29T12:00:01+0000"},
                         {"id":"723701000827665_2","message":"Hello Page","created_time":"2026-11-29T12:00:02+0000"}],
                 "paging":{"cursors":{"before":"b","after":"a"}}}
                """));

        var found = await Publisher.FindExistingAsync(Post("Hello Page"), started, Ct);
        var missing = await Publisher.FindExistingAsync(Post("Never posted"), started, Ct);

        Assert.Equal("723701000827665_2", found);
        Assert.Null(missing);
        var query = HttpUtility.ParseQueryString(new Uri(Fake.LogEntries[0].RequestMessage.Url).Query);
        Assert.Equal(started.AddMinutes(-5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), query["since"]);
        Assert.Contains("message", query["fields"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconciliation_ThatCannotAnswer_SaysSoInsteadOfNotFound()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503));

        await Assert.ThrowsAsync<PlatformUnavailableException>(() =>
            Publisher.FindExistingAsync(Post(), DateTimeOffset.UtcNow, Ct));
        // Reads are safe to repeat, so the pipeline retried (as often as the total timeout allowed).
        Assert.True(Fake.LogEntries.Count >= 2, $"the read was sent {Fake.LogEntries.Count} time(s)");
    }
}
