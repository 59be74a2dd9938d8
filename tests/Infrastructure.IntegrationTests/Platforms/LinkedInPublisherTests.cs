using System.Text.Json;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The live LinkedIn publisher against a local fake of the versioned REST API.</summary>
public sealed class LinkedInPublisherTests() : FakePlatformTest(Platform.LinkedIn)
{
    private const string Author = "urn:li:organization:2414183";
    private const string Token = "AQX-linkedin-token-secret";

    private static PublishRequest Post(string content = "Hello #LinkedIn (team)", string? link = null, params string[] media) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.LinkedIn, Author, Token, content, [.. media.Select(u => PostMedia.From(u))], link, 1, Guid.CreateVersion7(),
            RunAt: DateTimeOffset.UtcNow.AddMinutes(-1));

    private const string Duplicate = """{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}""";

    private void Answer(string path, string method, int status, string body = "") =>
        Fake.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    [Fact]
    public async Task ATextPost_SendsTheVersionedHeadersAndLittleText_AndReadsTheUrnFromXRestliId()
    {
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201)
                .WithHeader("x-restli-id", "urn:li:share:7045020441609936898")
                .WithHeader("x-linkedin-id", "7045020441609936898"));

        var outcome = await Publisher.PublishAsync(Post(), Ct);

        Assert.Equal("urn:li:share:7045020441609936898", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var call = Assert.Single(Fake.LogEntries).RequestMessage;
        Assert.Equal($"Bearer {Token}", call.Headers!["Authorization"].Single());
        Assert.Equal("202606", call.Headers["LinkedIn-Version"].Single());
        Assert.Equal("2.0.0", call.Headers["X-Restli-Protocol-Version"].Single());
        using var body = JsonDocument.Parse(call.Body!);
        var root = body.RootElement;
        Assert.Equal(Author, root.GetProperty("author").GetString());
        Assert.Equal(@"Hello \#LinkedIn \(team\)", root.GetProperty("commentary").GetString());
        Assert.Equal("PUBLIC", root.GetProperty("visibility").GetString());
        Assert.Equal("PUBLISHED", root.GetProperty("lifecycleState").GetString());
        Assert.Equal("MAIN_FEED", root.GetProperty("distribution").GetProperty("feedDistribution").GetString());
        Assert.False(root.TryGetProperty("content", out _));
    }

    [Fact]
    public async Task AnImagePost_InitializesTheUpload_PutsTheBytes_AndAttachesTheImageUrn()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];
        Fake.Given(Request.Create().WithPath("/rest/images").WithParam("action", "initializeUpload").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"value":{"uploadUrlExpiresAt":1770541529250,"uploadUrl":"{{{Fake.Url}}}/dms-uploads/abc","image":"urn:li:image:C4E10AQ"}}
                """));
        Fake.Given(Request.Create().WithPath("/media/photo.jpg").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(jpeg));
        Fake.Given(Request.Create().WithPath("/dms-uploads/abc").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(201));
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:1"));

        var outcome = await Publisher.PublishAsync(Post("With a picture", null, $"{Fake.Url}/media/photo.jpg"), Ct);

        Assert.IsType<PublishOutcome.Published>(outcome);
        var calls = Fake.LogEntries.Select(e => e.RequestMessage).ToList();
        using var init = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/images").Body!);
        Assert.Equal(Author, init.RootElement.GetProperty("initializeUploadRequest").GetProperty("owner").GetString());
        Assert.Equal(jpeg, calls.Single(c => c.Path == "/dms-uploads/abc").BodyAsBytes);
        using var post = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/posts").Body!);
        Assert.Equal("urn:li:image:C4E10AQ", post.RootElement.GetProperty("content").GetProperty("media").GetProperty("id").GetString());
    }

    [Fact]
    public async Task ARetry_ReusesTheImageAlreadyUploaded()
    {
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:2"));
        var retry = Post("Again", null, "https://cdn.example/a.jpg") with
        {
            PlatformState = new Scheduler.Infrastructure.Platforms.PlatformState()
                .WithUpload(0, new Scheduler.Infrastructure.Platforms.UploadedMedia("urn:li:image:KEPT", DateTimeOffset.UtcNow.AddDays(-3))).Serialize(),
        };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct));

        var call = Assert.Single(Fake.LogEntries).RequestMessage;
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal("urn:li:image:KEPT", body.RootElement.GetProperty("content").GetProperty("media").GetProperty("id").GetString());
    }

    public static TheoryData<int, string, Type> Answers() => new()
    {
        { 401, """{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"The token used in the request has been revoked by the user"}""", typeof(PublishOutcome.AuthInvalid) },
        { 429, """{"message":"Resource level throttle limit for calls to this resource is reached.","serviceErrorCode":101,"status":429}""", typeof(PublishOutcome.RateLimited) },
        { 426, """{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20260601 is not active"}""", typeof(PublishOutcome.Misconfigured) },
        { 400, """{"status":400,"code":"ILLEGAL_ARGUMENT","message":"Request body could not be converted to data map"}""", typeof(PublishOutcome.Permanent) },
        { 500, """{"message":"Internal Server Error","status":500}""", typeof(PublishOutcome.Unknown) },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EachDocumentedAnswer_IsClassified_AndAPublishIsNeverRetriedByThePipeline(int status, string body, Type expected)
    {
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

        Assert.IsType(expected, await Publisher.PublishAsync(Post(), Ct));
        Assert.Single(Fake.LogEntries);
    }

    [Fact]
    public async Task Reconciliation_FindsTheAuthorsPostByCommentary_AndAForbiddenReadIsNotFound()
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Fake.Given(Request.Create().WithPath("/rest/posts").WithParam("q", "author").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"paging":{"start":0,"count":10},"elements":[
                  {"id":"urn:li:share:1","author":"{{{Author}}}","commentary":"Other","createdAt":{{{created}}}},
                  {"id":"urn:li:share:2","author":"{{{Author}}}","commentary":"Hello \\#LinkedIn \\(team\\)","createdAt":{{{created}}}}]}
                """));

        Assert.Equal("urn:li:share:2", await Publisher.FindExistingAsync(Post(), DateTimeOffset.UtcNow, Ct));
        var call = Assert.Single(Fake.LogEntries).RequestMessage;
        Assert.Equal(Author, call.Query!["author"].Single());
        Assert.Equal("202606", call.Headers!["LinkedIn-Version"].Single());

        Fake.Reset();
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"status":403,"message":"Not enough permissions to access: partnerApiPosts"}"""));
        Assert.Null(await Publisher.FindExistingAsync(Post(), DateTimeOffset.UtcNow, Ct));
    }

    public static TheoryData<int, string, Type, string> DuplicateReads() => new()
    {
        // The same author, created since the post's time: an earlier attempt of this post published it.
        { 200, $$"""{"id":"urn:li:share:7141138937766391808","author":"{{Author}}","createdAt":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""", typeof(PublishOutcome.Published), "urn:li:share:7141138937766391808" },
        // An older post of the same author with the same text.
        { 200, $$"""{"id":"urn:li:share:7141138937766391808","author":"{{Author}}","createdAt":{{DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds()}}}""", typeof(PublishOutcome.Permanent), "LinkedIn refuses content duplicating urn:li:share:7141138937766391808" },
        { 200, $$"""{"id":"urn:li:share:7141138937766391808","author":"urn:li:person:someone","createdAt":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""", typeof(PublishOutcome.Permanent), "another author" },
        // A "ghost": the duplicate was deleted.
        { 404, """{"status":404,"message":"Not Found"}""", typeof(PublishOutcome.Permanent), "no longer exists" },
        { 403, """{"status":403,"message":"Not enough permissions to access: partnerApiPosts.GET"}""", typeof(PublishOutcome.Permanent), "cannot be confirmed" },
    };

    [Theory]
    [MemberData(nameof(DuplicateReads))]
    public async Task ADuplicateNamingAPost_IsPublishedOnlyIfThatPostIsThisOnes(int status, string read, Type expected, string said)
    {
        Answer("/rest/posts", "POST", 422, Duplicate);
        Answer("/rest/posts/urn:li:share:7141138937766391808", "GET", status, read);

        var outcome = await Publisher.PublishAsync(Post(), Ct);

        Assert.IsType(expected, outcome);
        Assert.Contains(said, outcome is PublishOutcome.Published p ? p.ExternalPostId : ((PublishOutcome.Permanent)outcome).Reason, StringComparison.Ordinal);
        Assert.Single(Fake.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task EachThrottleInARow_IsCountedOnTheRow_AndWaitsTwiceAsLong()
    {
        Answer("/rest/posts", "POST", 429, """{"message":"Resource level throttle limit for calls to this resource is reached.","serviceErrorCode":101,"status":429}""");
        var before = DateTimeOffset.UtcNow;

        var first = Assert.IsType<PublishOutcome.RateLimited>(await Publisher.PublishAsync(Post(), Ct));
        var third = Assert.IsType<PublishOutcome.RateLimited>(await Publisher.PublishAsync(
            Post() with { PlatformState = new Scheduler.Infrastructure.Platforms.PlatformState { Throttles = 2 }.Serialize() }, Ct));

        Assert.InRange(first.Until - before, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(65));
        Assert.InRange(third.Until - before, TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(5));
        Assert.Equal([1, 3], States.Saved.Select(s => Scheduler.Infrastructure.Platforms.PlatformState.Parse(s).Throttles));
    }
}
