using System.Text.Json;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The live LinkedIn publisher against a local fake of the versioned REST API.</summary>
public sealed class LinkedInPublisherTests() : FakePlatformTest(
    Platform.LinkedIn, ("Platforms:LinkedIn:StatusPollSeconds", "0.05"), ("Platforms:LinkedIn:StatusPollMaxSeconds", "1"))
{
    private const string Author = "urn:li:organization:2414183";
    private const string Token = "AQX-linkedin-token-secret";

    private static PublishRequest Post(string content = "Hello #LinkedIn (team)", string? link = null, params string[] media) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.LinkedIn, Author, Token, content, [.. media.Select(u => PostMedia.From(u))], link, 1, Guid.CreateVersion7(),
            RunAt: DateTimeOffset.UtcNow.AddMinutes(-1));

    private const string Duplicate = """{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}""";

    private void Available(string resource, string urn, params string[] statuses)
    {
        statuses = statuses.Length == 0 ? ["AVAILABLE"] : statuses;
        for (var i = 0; i < statuses.Length; i++)
        {
            var given = Fake.Given(Request.Create().WithPath($"/rest/{resource}/{urn}").UsingGet()).InScenario(urn);
            given = i == 0 ? given.WillSetStateTo($"{urn}-1") : given.WhenStateIs($"{urn}-{i}").WillSetStateTo($"{urn}-{i + 1}");
            given.RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{urn}}","status":"{{statuses[i]}}"}"""));
        }
    }

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
        Available("images", "urn:li:image:C4E10AQ");
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:1"));

        var outcome = await Publisher.PublishAsync(
            Post("With a picture", null) with { Media = [PostMedia.From($"{Fake.Url}/media/photo.jpg", "A lighthouse at dusk")] }, Ct);

        Assert.IsType<PublishOutcome.Published>(outcome);
        var calls = Fake.LogEntries.Select(e => e.RequestMessage).ToList();
        using var init = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/images").Body!);
        Assert.Equal(Author, init.RootElement.GetProperty("initializeUploadRequest").GetProperty("owner").GetString());
        Assert.Equal(jpeg, calls.Single(c => c.Path == "/dms-uploads/abc").BodyAsBytes);
        using var post = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/posts").Body!);
        var media = post.RootElement.GetProperty("content").GetProperty("media");
        Assert.Equal(("urn:li:image:C4E10AQ", "A lighthouse at dusk"), (media.GetProperty("id").GetString(), media.GetProperty("altText").GetString()));
        Assert.False(media.TryGetProperty("title", out _));
    }

    [Fact]
    public async Task ARetry_ReusesTheImageAlreadyUploaded()
    {
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:2"));
        Available("images", "urn:li:image:KEPT");
        var retry = Post("Again", null, "https://cdn.example/a.jpg") with
        {
            PlatformState = new Scheduler.Infrastructure.Platforms.PlatformState()
                .WithUpload(0, new Scheduler.Infrastructure.Platforms.UploadedMedia("urn:li:image:KEPT", DateTimeOffset.UtcNow.AddDays(-3))).Serialize(),
        };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct));

        var call = Assert.Single(Fake.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
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

    [Fact]
    public async Task AVideo_IsUploadedInTheAskedParts_Finalized_AndPostedOnceAvailable()
    {
        var video = Enumerable.Range(0, 10).Select(i => (byte)i).ToArray();
        Fake.Given(Request.Create().WithPath("/media/clip.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(video));
        Fake.Given(Request.Create().WithPath("/rest/videos").WithParam("action", "initializeUpload").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"value":{"uploadUrlsExpireAt":1770541529250,"video":"urn:li:video:V1","uploadToken":"",
                 "uploadInstructions":[{"uploadUrl":"{{{Fake.Url}}}/parts/1","firstByte":0,"lastByte":5},{"uploadUrl":"{{{Fake.Url}}}/parts/2","firstByte":6,"lastByte":9}]}}
                """));
        Fake.Given(Request.Create().WithPath("/parts/1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "etag-1"));
        Fake.Given(Request.Create().WithPath("/parts/2").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "etag-2"));
        Fake.Given(Request.Create().WithPath("/rest/videos").WithParam("action", "finalizeUpload").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        Available("videos", "urn:li:video:V1", "PROCESSING", "AVAILABLE");
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:9"));

        var outcome = await Publisher.PublishAsync(Post("Watch", null, $"{Fake.Url}/media/clip.mp4"), Ct);

        Assert.Equal("urn:li:share:9", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var calls = Fake.LogEntries.Select(e => e.RequestMessage).ToList();
        using var init = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/videos" && c.Query!["action"].Single() == "initializeUpload").Body!);
        Assert.Equal(10, init.RootElement.GetProperty("initializeUploadRequest").GetProperty("fileSizeBytes").GetInt64());
        Assert.Equal(video[..6], calls.Single(c => c.Path == "/parts/1").BodyAsBytes);
        Assert.Equal(video[6..], calls.Single(c => c.Path == "/parts/2").BodyAsBytes);
        using var finalize = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/videos" && c.Query!["action"].Single() == "finalizeUpload").Body!);
        Assert.Equal(["etag-1", "etag-2"], finalize.RootElement.GetProperty("finalizeUploadRequest").GetProperty("uploadedPartIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, calls.Count(c => c.Path == "/rest/videos/urn:li:video:V1"));
        using var post = JsonDocument.Parse(calls.Single(c => c.Path == "/rest/posts").Body!);
        Assert.Equal("urn:li:video:V1", post.RootElement.GetProperty("content").GetProperty("media").GetProperty("id").GetString());
    }

    [Fact]
    public async Task ADocument_IsUploaded_AndPostedWithItsFileNameAsTitle()
    {
        Fake.Given(Request.Create().WithPath("/media/Quarterly deck.pdf").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("%PDF-1.7"));
        Fake.Given(Request.Create().WithPath("/rest/documents").WithParam("action", "initializeUpload").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"value":{"uploadUrlExpiresAt":1770541529250,"uploadUrl":"{{{Fake.Url}}}/doc-upload","document":"urn:li:document:D1"}}
                """));
        Fake.Given(Request.Create().WithPath("/doc-upload").UsingPut()).RespondWith(Response.Create().WithStatusCode(201));
        Available("documents", "urn:li:document:D1");
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:10"));

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post("Our quarter", null, $"{Fake.Url}/media/Quarterly%20deck.pdf"), Ct));

        using var post = JsonDocument.Parse(Fake.LogEntries.Single(e => e.RequestMessage.Path == "/rest/posts").RequestMessage.Body!);
        var media = post.RootElement.GetProperty("content").GetProperty("media");
        Assert.Equal(("urn:li:document:D1", "Quarterly deck.pdf"), (media.GetProperty("id").GetString(), media.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task MediaStillProcessing_DefersWithoutSpendingAnAttempt_AndFailedProcessingFailsThePost()
    {
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:11"));
        Available("images", "urn:li:image:SLOW", Enumerable.Repeat("PROCESSING", 100).ToArray());
        Available("images", "urn:li:image:BAD", "PROCESSING_FAILED");
        PublishRequest Saved(string urn) => Post("Later", null, "https://cdn.example/a.jpg") with
        {
            PlatformState = new Scheduler.Infrastructure.Platforms.PlatformState()
                .WithUpload(0, new Scheduler.Infrastructure.Platforms.UploadedMedia(urn, DateTimeOffset.UtcNow)).Serialize(),
        };

        Assert.IsType<PublishOutcome.NotReady>(await Publisher.PublishAsync(Saved("urn:li:image:SLOW"), Ct));
        Assert.IsType<PublishOutcome.Permanent>(await Publisher.PublishAsync(Saved("urn:li:image:BAD"), Ct));
        Assert.DoesNotContain(Fake.LogEntries, e => e.RequestMessage.Path == "/rest/posts");
    }

    [Fact]
    public async Task AMemberTokenThatMayNotReadItsUploads_PostsWithoutWaiting()
    {
        Fake.Given(Request.Create().WithPath("/rest/images/urn:li:image:MEMBER").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: images.GET.NO_VERSION"}"""));
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:12"));
        var request = Post("Member", null, "https://cdn.example/a.jpg") with
        {
            PlatformState = new Scheduler.Infrastructure.Platforms.PlatformState()
                .WithUpload(0, new Scheduler.Infrastructure.Platforms.UploadedMedia("urn:li:image:MEMBER", DateTimeOffset.UtcNow)).Serialize(),
        };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(request, Ct));
    }

    [Fact]
    public async Task ALink_IsPostedAsAnArticle_WithThePagesOpenGraphTitleDescriptionAndThumbnail()
    {
        Fake.Given(Request.Create().WithPath("/blog/launch").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html; charset=utf-8").WithBody("""
                <html><head><title>Fallback</title>
                <meta property="og:title" content="We launched">
                <meta property="og:description" content="What is new this spring">
                <meta property="og:image" content="/img/cover.jpg">
                </head><body>…</body></html>
                """));
        Fake.Given(Request.Create().WithPath("/img/cover.jpg").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody([0xFF, 0xD8, 0xFF]));
        Fake.Given(Request.Create().WithPath("/rest/images").WithParam("action", "initializeUpload").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"value":{"uploadUrlExpiresAt":1770541529250,"uploadUrl":"{{{Fake.Url}}}/dms-uploads/thumb","image":"urn:li:image:THUMB"}}
                """));
        Fake.Given(Request.Create().WithPath("/dms-uploads/thumb").UsingPut()).RespondWith(Response.Create().WithStatusCode(201));
        Available("images", "urn:li:image:THUMB");
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:13"));

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post("Read this", $"{Fake.Url}/blog/launch"), Ct));

        using var post = JsonDocument.Parse(Fake.LogEntries.Single(e => e.RequestMessage.Path == "/rest/posts").RequestMessage.Body!);
        var article = post.RootElement.GetProperty("content").GetProperty("article");
        Assert.Equal(
            ($"{Fake.Url}/blog/launch", "We launched", "What is new this spring", "urn:li:image:THUMB"),
            (article.GetProperty("source").GetString(), article.GetProperty("title").GetString(),
             article.GetProperty("description").GetString(), article.GetProperty("thumbnail").GetString()));
        Assert.Equal("urn:li:image:THUMB", Scheduler.Infrastructure.Platforms.PlatformState.Parse(States.Saved.Last()).Thumbnail!.Id);
    }

    [Fact]
    public async Task ALinkWhosePageCannotBeRead_IsStillPosted_AsABareArticle()
    {
        Fake.Given(Request.Create().WithPath("/gone").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        Fake.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:share:14"));

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(Post("Read this", $"{Fake.Url}/gone"), Ct));

        using var post = JsonDocument.Parse(Fake.LogEntries.Single(e => e.RequestMessage.Path == "/rest/posts").RequestMessage.Body!);
        var article = post.RootElement.GetProperty("content").GetProperty("article");
        Assert.Equal($"{Fake.Url}/gone", article.GetProperty("title").GetString());
        Assert.False(article.TryGetProperty("thumbnail", out _));
        Assert.False(article.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task AFirstComment_IsPostedOnThePostUrn_AsTheAuthor_InPlainText_AndFoundAgain()
    {
        const string Urn = "urn:li:share:7045020441609936898";
        const string CommentUrn = "urn:li:comment:(urn:li:activity:7045020442000000000,7102986562019213313)";
        Fake.Given(Request.Create().WithPath($"/rest/socialActions/{Urn}/comments").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody($$$"""
                {"id":"7102986562019213313","commentUrn":"{{{CommentUrn}}}","object":"urn:li:activity:7045020442000000000","actor":"{{{Author}}}","message":{"text":"Sign up (free) #today"}}
                """));
        Fake.Given(Request.Create().WithPath($"/rest/socialActions/{Urn}/comments").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"paging":{"start":0,"count":10},"elements":[
                  {"id":"1","commentUrn":"urn:li:comment:(urn:li:activity:7045020442000000000,1)","actor":"urn:li:person:someone","message":{"text":"Sign up (free) #today"}},
                  {"id":"7102986562019213313","commentUrn":"{{{CommentUrn}}}","actor":"{{{Author}}}","message":{"text":"Sign up (free) #today"}}]}
                """));

        var outcome = await Publisher.CommentAsync(Post(), Urn, "Sign up (free) #today", Ct);

        Assert.Equal(CommentUrn, Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var call = Assert.Single(Fake.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.Equal("202606", call.Headers!["LinkedIn-Version"].Single());
        Assert.Equal($"Bearer {Token}", call.Headers["Authorization"].Single());
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal(Author, body.RootElement.GetProperty("actor").GetString());
        Assert.Equal(Urn, body.RootElement.GetProperty("object").GetString());
        Assert.Equal("Sign up (free) #today", body.RootElement.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal(CommentUrn, await Publisher.FindCommentAsync(Post(), Urn, "Sign up (free) #today", Ct));
    }

    [Fact]
    public async Task ACommentAcceptedWithoutAnId_IsUnknown_AndAFailedReadOfCommentsSaysTheyCannotBeChecked()
    {
        const string Urn = "urn:li:share:7045020441609936899";
        Answer($"/rest/socialActions/{Urn}/comments", "POST", 201);
        Answer($"/rest/socialActions/{Urn}/comments", "GET", 403,
            """{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: socialActions.GET.NO_VERSION"}""");

        Assert.IsType<PublishOutcome.Unknown>(await Publisher.CommentAsync(Post(), Urn, "Hi", Ct));
        await Assert.ThrowsAsync<Scheduler.Infrastructure.Platforms.PlatformUnavailableException>(
            () => Publisher.FindCommentAsync(Post(), Urn, "Hi", Ct));
    }
}
