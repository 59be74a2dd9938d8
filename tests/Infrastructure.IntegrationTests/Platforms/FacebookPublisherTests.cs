using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Platforms;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The live Facebook publisher against a local fake of the Graph API serving the documented shapes.</summary>
public sealed class FacebookPublisherTests() : FakePlatformTest(
    Platform.Facebook, ("Platforms:Facebook:AttemptTimeoutSeconds", "1"), ("Dispatcher:FirstCommentRetrySeconds", "0"))
{
    private const string Page = "723701000827665";
    private const string Token = "EAAB-page-token-secret";
    private const string PostId = "723701000827665_122168909288960180";

    private static PublishRequest Post(string content = "Hello Page", string? link = null, params string[] media) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.Facebook, Page, Token, content, [.. media.Select(u => PostMedia.From(u))], link, 1, Guid.CreateVersion7(),
            RunAt: DateTimeOffset.UtcNow.AddMinutes(-1));

    private void Feed(string id = PostId) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{id}}","post_supports_client_mutation_id":true}"""));

    private void PublishPhase(int status = 200, string body = """{"success":true}""", TimeSpan? delay = null) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{PostId}").UsingPost())
            .RespondWith(delay is { } wait
                ? Response.Create().WithStatusCode(status).WithBody(body).WithDelay(wait)
                : Response.Create().WithStatusCode(status).WithBody(body));

    private void Published(bool live) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{PostId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"id":"{{PostId}}","is_published":{{(live ? "true" : "false")}}}"""));

    private List<WireMock.Logging.ILogEntry> Calls(string path) =>
        [.. Fake.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime)];

    [Fact]
    public async Task APost_IsCreatedUnpublished_ItsIdSaved_ThenPublished_WithTheTokenInTheAuthorizationHeaderOnly()
    {
        Feed();
        PublishPhase();

        var outcome = await Publisher.PublishAsync(Post("Hello Page", "https://example.com/a"), Ct);

        Assert.Equal(PostId, Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var create = Assert.Single(Calls($"/v26.0/{Page}/feed")).RequestMessage;
        var form = HttpUtility.ParseQueryString(create.Body!);
        Assert.Equal(("Hello Page", "https://example.com/a", "false"), (form["message"], form["link"], form["published"]));
        Assert.Equal("true", HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{PostId}")).RequestMessage.Body!)["is_published"]);
        Assert.Equal(PostId, PlatformState.Parse(Assert.Single(States.Saved)).PostId);
        Assert.All(Fake.LogEntries, e =>
        {
            Assert.Equal($"Bearer {Token}", e.RequestMessage.Headers!["Authorization"].Single());
            Assert.DoesNotContain(Token, e.RequestMessage.Url, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, e.RequestMessage.Body ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(Logs, line => line.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APhotoPost_UploadsEachImageUnpublished_ThenAttachesThemInOrder()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost().WithBody(b => b!.Contains("a.jpg", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"111"}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost().WithBody(b => b!.Contains("b.jpg", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"222","post_id":"723701000827665_9"}"""));
        Feed();
        PublishPhase();

        var outcome = await Publisher.PublishAsync(Post("Two photos", null, "https://cdn.example/a.jpg", "https://cdn.example/b.jpg"), Ct);

        Assert.IsType<PublishOutcome.Published>(outcome);
        var uploads = Calls($"/v26.0/{Page}/photos").Select(c => HttpUtility.ParseQueryString(c.RequestMessage.Body!)).ToList();
        Assert.Equal(["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"], uploads.Select(u => u["url"]));
        Assert.All(uploads, u => Assert.Equal("false", u["published"]));
        var feed = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{Page}/feed")).RequestMessage.Body!);
        Assert.Equal("""{"media_fbid":"111"}""", feed["attached_media[0]"]);
        Assert.Equal("""{"media_fbid":"222"}""", feed["attached_media[1]"]);
        // Each id saved the moment it was known, keyed by index: the state never grows with the URLs.
        var saved = PlatformState.Parse(States.Saved.Last());
        Assert.Equal(["111", "222"], saved.Uploads!.OrderBy(u => u.Key).Select(u => u.Value.Id));
        Assert.DoesNotContain("cdn.example", States.Saved.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetry_ReusesRecentPhotos_ButUploadsAgainThoseMetaHasDroppedByNow()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"999"}"""));
        Feed();
        PublishPhase();
        var state = new PlatformState()
            .WithUpload(0, new UploadedMedia("111", DateTimeOffset.UtcNow.AddHours(-1)))
            .WithUpload(1, new UploadedMedia("222", DateTimeOffset.UtcNow.AddDays(-2)));
        var retry = Post("Again", null, "https://cdn.example/a.jpg", "https://cdn.example/b.jpg") with { PlatformState = state.Serialize() };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct));

        Assert.Equal("https://cdn.example/b.jpg", HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{Page}/photos")).RequestMessage.Body!)["url"]);
        var feed = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{Page}/feed")).RequestMessage.Body!);
        Assert.Equal(("""{"media_fbid":"111"}""", """{"media_fbid":"999"}"""), (feed["attached_media[0]"], feed["attached_media[1]"]));
    }

    [Fact]
    public async Task ARetryAfterPhaseOne_OnlyPublishesTheSavedPost_NeverMakesASecond()
    {
        PublishPhase();
        var retry = Post() with { PlatformState = new PlatformState { PostId = PostId }.Serialize() };

        Assert.Equal(PostId, Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct)).ExternalPostId);
        Assert.Empty(Calls($"/v26.0/{Page}/feed"));
    }

    [Fact]
    public async Task ASavedPostThatNoLongerExists_IsDropped_AndMadeAgainNextTime()
    {
        PublishPhase(400, """{"error":{"message":"Unsupported post request. Object with ID '723701000827665_122168909288960180' does not exist","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"x"}}""");
        var retry = Post() with { PlatformState = new PlatformState { PostId = PostId }.Serialize() };

        Assert.IsType<PublishOutcome.Transient>(await Publisher.PublishAsync(retry, Ct));
        Assert.Null(PlatformState.Parse(Assert.Single(States.Saved)).PostId);
    }

    // The call that makes the post live, and what each documented answer to it means.
    public static TheoryData<int, string, Type> Answers() => new()
    {
        { 400, """{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x"}}""", typeof(PublishOutcome.AuthInvalid) },
        { 500, """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Unknown) },
        { 503, """{"error":{"message":"Service temporarily unavailable","type":"OAuthException","code":2,"is_transient":true,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Unknown) },
        { 403, """{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"is_transient":true,"fbtrace_id":"x"}}""", typeof(PublishOutcome.RateLimited) },
        { 400, """{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"x"}}""", typeof(PublishOutcome.RateLimited) },
        { 403, """{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Permanent) },
        { 400, """{"error":{"message":"(#506) Duplicate status message","type":"OAuthException","code":506,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Duplicate) },
        { 400, """{"error":{"message":"(#368) The action attempted has been deemed abusive or is otherwise disallowed","type":"OAuthException","code":368,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Permanent) },
        { 400, """{"error":{"message":"(#368) You're posting too fast","type":"OAuthException","code":368,"error_subcode":1390008,"fbtrace_id":"x"}}""", typeof(PublishOutcome.RateLimited) },
        { 400, """{"error":{"message":"(#368) This content has already been posted","type":"OAuthException","code":368,"fbtrace_id":"x"}}""", typeof(PublishOutcome.Duplicate) },
        { 400, """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":1366051,"error_user_msg":"These photos were already posted.","fbtrace_id":"x"}}""", typeof(PublishOutcome.Duplicate) },
        { 502, "<html>Bad Gateway</html>", typeof(PublishOutcome.Unknown) },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EachDocumentedAnswerToThePublishCall_IsClassified_AndNeverRetriedByThePipeline(int status, string body, Type expected)
    {
        Feed();
        PublishPhase(status, body);

        Assert.IsType(expected, await Publisher.PublishAsync(Post(), Ct));
        Assert.Single(Calls($"/v26.0/{PostId}"));
    }

    [Fact]
    public async Task Code1OnPhaseOne_IsTransient_BecauseAnUnpublishedPostIsNeverSeen()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("""{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}"""));

        Assert.IsType<PublishOutcome.Transient>(await Publisher.PublishAsync(Post(), Ct));
        Assert.Empty(States.Saved);
    }

    [Fact]
    public async Task ATimeoutAfterSendingThePublishCall_IsUnknown_AndNotRetried()
    {
        Feed();
        PublishPhase(delay: TimeSpan.FromSeconds(3));

        Assert.IsType<PublishOutcome.Unknown>(await Publisher.PublishAsync(Post(), Ct));
        await Task.Delay(TimeSpan.FromSeconds(3.5), Ct); // the fake logs a request once its delayed answer is sent
        Assert.Single(Calls($"/v26.0/{PostId}"));
    }

    [Theory]
    [InlineData(true, PostId)]
    [InlineData(false, null)]
    public async Task Reconciliation_ReadsTheSavedPost_InsteadOfGuessingFromTheFeed(bool live, string? expected)
    {
        Published(live);
        var request = Post() with { PlatformState = new PlatformState { PostId = PostId }.Serialize() };

        Assert.Equal(expected, await Publisher.FindExistingAsync(request, DateTimeOffset.UtcNow, Ct));
        Assert.Contains("is_published", Assert.Single(Fake.LogEntries).RequestMessage.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconciliation_WithoutASavedPost_MatchesTextAndCreationTime_NeverTextAlone()
    {
        var request = Post("Hello Page");
        var runAt = request.RunAt!.Value;
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                {"data":[{"id":"723701000827665_1","message":"Hello Page","created_time":"{{runAt.AddDays(-3).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}}+0000"},
                         {"id":"723701000827665_2","message":"Something else","created_time":"{{runAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}}+0000"}],
                 "paging":{"cursors":{"before":"b","after":"a"} } }
                """));

        Assert.Null(await Publisher.FindExistingAsync(request, DateTimeOffset.UtcNow, Ct));

        Fake.Reset();
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                {"data":[{"id":"723701000827665_3","message":"Hello Page","created_time":"{{runAt.AddSeconds(5).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}}+0000"}]}
                """));
        Assert.Equal("723701000827665_3", await Publisher.FindExistingAsync(request, DateTimeOffset.UtcNow, Ct));
        var query = HttpUtility.ParseQueryString(new Uri(Fake.LogEntries[0].RequestMessage.Url).Query);
        Assert.Equal(Reconciliation.Earliest(request, DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), query["since"]);
    }

    [Fact]
    public async Task Reconciliation_ThatCannotAnswer_SaysSoInsteadOfNotFound()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{PostId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503));
        var request = Post() with { PlatformState = new PlatformState { PostId = PostId }.Serialize() };

        await Assert.ThrowsAsync<PlatformUnavailableException>(() => Publisher.FindExistingAsync(request, DateTimeOffset.UtcNow, Ct));
        // Reads are safe to repeat, so the pipeline retried (as often as the total timeout allowed).
        Assert.True(Fake.LogEntries.Count >= 2, $"the read was sent {Fake.LogEntries.Count} time(s)");
    }

    private static PublishRequest Shaped(PostFormat format, string content, params PostMedia[] media) =>
        Post(content) with { Format = format, Media = media };

    [Fact]
    public async Task PhotosCarryTheirAlternativeText()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"111"}"""));
        Feed();
        PublishPhase();

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(
            Shaped(PostFormat.Post, "Described", PostMedia.From("https://cdn.example/a.jpg", "Two hikers on a ridge")), Ct));

        var upload = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{Page}/photos")).RequestMessage.Body!);
        Assert.Equal("Two hikers on a ridge", upload["alt_text_custom"]);
    }

    [Fact]
    public async Task APhotoStory_AttachesAnUnpublishedPhoto_AndIsFoundByThatPhotoAfterALostAnswer()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photos").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"555"}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/photo_stories").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"success":true,"post_id":"723701000827665_777"}"""));
        var story = Shaped(PostFormat.Story, string.Empty, PostMedia.From("https://cdn.example/a.jpg"));

        Assert.Equal("723701000827665_777", Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(story, Ct)).ExternalPostId);
        Assert.Equal("555", HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{Page}/photo_stories")).RequestMessage.Body!)["photo_id"]);
        Assert.Empty(Calls($"/v26.0/{Page}/feed"));

        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/stories").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                """{"data":[{"post_id":"723701000827665_1","media_id":"444","status":"PUBLISHED"},{"post_id":"723701000827665_777","media_id":"555","status":"PUBLISHED"}]}"""));
        var saved = story with { PlatformState = States.Saved.Last() };
        Assert.Equal("723701000827665_777", await Publisher.FindExistingAsync(saved, DateTimeOffset.UtcNow, Ct));
        var unsaved = Shaped(PostFormat.Story, string.Empty, PostMedia.From("https://cdn.example/a.jpg"));
        Assert.Null(await Publisher.FindExistingAsync(unsaved, DateTimeOffset.UtcNow, Ct)); // no photo saved: nothing can be live
    }

    [Theory]
    [InlineData(PostFormat.Reel, "video_reels")]
    [InlineData(PostFormat.Story, "video_stories")]
    public async Task AReelOrVideoStory_GoesThroughTheUploadSession_WithTheVideoIdSavedFirst(PostFormat format, string edge)
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/{edge}").UsingPost().WithBody(b => b!.Contains("upload_phase=start", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"video_id":"9001","upload_url":"{{Fake.Url}}/video-upload/v26.0/9001"}"""));
        Fake.Given(Request.Create().WithPath("/video-upload/v26.0/9001").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"success":true}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/{edge}").UsingPost().WithBody(b => b!.Contains("upload_phase=finish", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"success":true,"post_id":"723701000827665_9002"}"""));

        var outcome = await Publisher.PublishAsync(Shaped(format, "Behind the scenes", PostMedia.From("https://cdn.example/clip.mp4")), Ct);

        Assert.Equal(format == PostFormat.Reel ? "9001" : "723701000827665_9002", Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var upload = Assert.Single(Calls("/video-upload/v26.0/9001")).RequestMessage;
        Assert.Equal("https://cdn.example/clip.mp4", upload.Headers!["file_url"].Single());
        Assert.Equal($"OAuth {Token}", upload.Headers["Authorization"].Single());
        Assert.Equal("9001", PlatformState.Parse(States.Saved.First()).VideoId);
        var finish = HttpUtility.ParseQueryString(Calls($"/v26.0/{Page}/{edge}").Last().RequestMessage.Body!);
        Assert.Equal("9001", finish["video_id"]);
        if (format == PostFormat.Reel)
        {
            Assert.Equal(("PUBLISHED", "Behind the scenes"), (finish["video_state"], finish["description"]));
        }
    }

    [Fact]
    public async Task AReelRetry_ResumesItsUploadSession_AndAReelIsLiveWhenItsPublishingPhaseIsComplete()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/video_reels").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"success":true}"""));
        Fake.Given(Request.Create().WithPath("/v26.0/9001").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                """{"id":"9001","status":{"video_status":"ready","uploading_phase":{"status":"complete"},"processing_phase":{"status":"complete"},"publishing_phase":{"status":"complete"}}}"""));
        var retry = Shaped(PostFormat.Reel, "Again", PostMedia.From("https://cdn.example/clip.mp4"))
            with { PlatformState = new PlatformState { VideoId = "9001" }.Serialize() };

        Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(retry, Ct));
        Assert.Single(Calls($"/v26.0/{Page}/video_reels")); // the finish only: no second session
        Assert.Equal("9001", await Publisher.FindExistingAsync(retry, DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task AFeedVideo_IsFetchedByFacebookFromItsUrl_AndFoundByTextAndTimeAfterALostAnswer()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/videos").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"8080"}"""));
        var video = Shaped(PostFormat.Post, "Our new clip", PostMedia.From("https://cdn.example/clip.mp4"));

        Assert.Equal("8080", Assert.IsType<PublishOutcome.Published>(await Publisher.PublishAsync(video, Ct)).ExternalPostId);
        var form = HttpUtility.ParseQueryString(Assert.Single(Calls($"/v26.0/{Page}/videos")).RequestMessage.Body!);
        Assert.Equal(("https://cdn.example/clip.mp4", "Our new clip"), (form["file_url"], form["description"]));

        var runAt = video.RunAt!.Value;
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/videos").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                {"data":[{"id":"7070","description":"Our new clip","created_time":"{{runAt.AddDays(-2).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}}+0000"},
                         {"id":"8080","description":"Our new clip","created_time":"{{runAt.AddSeconds(3).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}}+0000"}]}
                """));
        Assert.Equal("8080", await Publisher.FindExistingAsync(video, DateTimeOffset.UtcNow, Ct));
    }

    private const string CommentId = "122168909288960180_1386857980259623";

    /// <summary>A row as the claim brings it: a feed post with a first comment, on this Page, its token encrypted.</summary>
    private ClaimedJob Claimed(string comment = "Link in the comments: https://example.com/menu")
    {
        var now = DateTimeOffset.UtcNow;
        var token = Services.GetRequiredService<Application.Common.Interfaces.ITokenProtector>().Protect(Token);
        return new ClaimedJob(
            Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.Facebook, Guid.CreateVersion7(), 1, 3, now.AddMinutes(-1), now, now,
            new JobContent("Hello Page", [], null, null, PostFormat.Post, comment),
            new JobAccount(Page, "The Page", SocialAccountStatus.Active, token));
    }

    /// <summary>The comments edge's answers in turn (the last one repeats).</summary>
    private void Comments(params (int Status, string Body)[] answers)
    {
        for (var i = 0; i < answers.Length; i++)
        {
            var given = Fake.Given(Request.Create().WithPath($"/v26.0/{PostId}/comments").UsingPost());
            if (answers.Length > 1)
            {
                given = given.InScenario("comments");
                given = i == 0 ? given : given.WhenStateIs($"after-{i}");
                given = i < answers.Length - 1 ? given.WillSetStateTo($"after-{i + 1}") : given;
            }

            given.RespondWith(Response.Create().WithStatusCode(answers[i].Status).WithBody(answers[i].Body));
        }
    }

    private void ExistingComments(string json) =>
        Fake.Given(Request.Create().WithPath($"/v26.0/{PostId}/comments").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(json));

    [Fact]
    public async Task AFirstComment_IsPostedUnderThePost_AsThePage_WithItsMessage()
    {
        Comments((200, $$"""{"id":"{{CommentId}}"}"""));

        var outcome = await Publisher.CommentAsync(Post(), PostId, "Menu: https://example.com/menu #lunch", Ct);

        Assert.Equal(CommentId, Assert.IsType<PublishOutcome.Published>(outcome).ExternalPostId);
        var call = Assert.Single(Calls($"/v26.0/{PostId}/comments")).RequestMessage;
        Assert.Equal("Menu: https://example.com/menu #lunch", HttpUtility.ParseQueryString(call.Body!)["message"]);
        Assert.Equal($"Bearer {Token}", call.Headers!["Authorization"].Single());
        Assert.DoesNotContain(Token, call.Body!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAttempt_PublishesThePostThenItsComment_AsTheComment()
    {
        Feed();
        PublishPhase();
        Comments((200, $$"""{"id":"{{CommentId}}"}"""));

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.Equal(PostId, Assert.IsType<PublishOutcome.Published>(verdict.Outcome).ExternalPostId);
        Assert.Equal(FirstCommentResult.Posted(CommentId), verdict.FirstComment);
        var comment = Assert.Single(Calls($"/v26.0/{PostId}/comments")).RequestMessage;
        Assert.Equal("Link in the comments: https://example.com/menu", HttpUtility.ParseQueryString(comment.Body!)["message"]);
        Assert.True(comment.DateTime >= Assert.Single(Calls($"/v26.0/{PostId}")).RequestMessage.DateTime);
    }

    [Fact]
    public async Task ACommentRateLimitedForLong_FailsAtOnce_WithoutHoldingTheRow()
    {
        Feed();
        PublishPhase();
        Comments((400, """{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"x"}}"""));

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.IsType<PublishOutcome.Published>(verdict.Outcome);
        Assert.Contains("request limit", verdict.FirstComment!.Error, StringComparison.Ordinal);
        Assert.Single(Calls($"/v26.0/{PostId}/comments"));
    }

    [Fact]
    public async Task ACommentWhoseAnswerIsLost_IsFoundUnderThePost_AndNotSentAgain()
    {
        Feed();
        PublishPhase();
        // An answer without a verdict: the comment may have been made.
        Comments((500, """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}"""));
        ExistingComments($$$"""
            {"data":[{"id":"122168909288960180_1","message":"Link in the comments: https://example.com/menu","from":{"id":"99","name":"A fan"}},
                     {"id":"{{{CommentId}}}","message":"Link in the comments: https://example.com/menu","from":{"id":"{{{Page}}}","name":"The Page"}}]}
            """);

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.IsType<PublishOutcome.Published>(verdict.Outcome);
        Assert.Equal(FirstCommentResult.Posted(CommentId), verdict.FirstComment);
        Assert.Single(Calls($"/v26.0/{PostId}/comments"), c => c.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task ACommentWhoseAnswerIsLost_AndThatIsNotThere_IsSentAgain()
    {
        Feed();
        PublishPhase();
        Comments(
            (500, """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}"""),
            (200, $$"""{"id":"{{CommentId}}"}"""));
        ExistingComments("""{"data":[]}""");

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.Equal(FirstCommentResult.Posted(CommentId), verdict.FirstComment);
        Assert.Equal(2, Calls($"/v26.0/{PostId}/comments").Count(c => c.RequestMessage.Method == "POST"));
    }

    [Fact]
    public async Task ACommentThatCannotBeChecked_IsNotSentAgain_AndThePostStaysPublished()
    {
        Feed();
        PublishPhase();
        Comments((500, """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{PostId}/comments").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("unavailable"));

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.IsType<PublishOutcome.Published>(verdict.Outcome);
        Assert.Null(verdict.FirstComment!.CommentId);
        Assert.Contains("not sent again", verdict.FirstComment.Error, StringComparison.Ordinal);
        Assert.Single(Calls($"/v26.0/{PostId}/comments"), c => c.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task ACommentRefusedForGood_FailsAtOnce_WithThePlatformsReason()
    {
        Feed();
        PublishPhase();
        Comments((403, """{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200,"fbtrace_id":"x"}}"""));

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.IsType<PublishOutcome.Published>(verdict.Outcome);
        Assert.Contains("Permissions error", verdict.FirstComment!.Error, StringComparison.Ordinal);
        Assert.Single(Calls($"/v26.0/{PostId}/comments"));
    }

    [Fact]
    public async Task APostWhosePublishFails_SendsNoComment()
    {
        Feed();
        PublishPhase(400, """{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"x"}}""");

        var verdict = await Services.GetRequiredService<PublishAttempt>().PublishAsync(Claimed(), Ct);

        Assert.IsNotType<PublishOutcome.Published>(verdict.Outcome);
        Assert.Null(verdict.FirstComment);
        Assert.Empty(Calls($"/v26.0/{PostId}/comments"));
    }
}
