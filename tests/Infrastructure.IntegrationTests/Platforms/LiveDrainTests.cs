using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Infrastructure.IntegrationTests.Dispatching;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The real dispatcher in Live mode, publishing to a local fake of the Graph API.</summary>
public sealed class LiveDrainTests(DatabaseFixture database) : IntegrationTest(database)
{
    private readonly WireMockServer _graph = WireMockServer.Start();

    [Fact]
    public async Task TheDispatcher_PublishesDueFacebookPostsThroughTheLiveClient()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "1000");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 10, dueInSeconds: -1));
        _graph.Given(Request.Create().WithPath("/v26.0/1000/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"1000_{{Random Type="Integer" Min=1 Max=999999999}}"}""").WithTransformer());
        _graph.Given(Request.Create().WithPath(new WildcardMatcher("/v26.0/1000_*")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"success":true}"""));
        await using var worker = LiveWorker();

        var result = await RunAsync(worker);

        Assert.Equal((10, 10), (result.Claimed, result.Published));
        // Two phases per post: created unpublished, then published.
        Assert.Equal(10, _graph.LogEntries.Count(e => e.RequestMessage.Path == "/v26.0/1000/feed"));
        Assert.Equal(10, _graph.LogEntries.Count(e => e.RequestMessage.Path.StartsWith("/v26.0/1000_", StringComparison.Ordinal)));
        Assert.All(_graph.LogEntries, e => Assert.Equal("Bearer token-1000", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Equal(10, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id LIKE '1000\\_%'"));
    }

    [Fact]
    public async Task APolicyBlock_FailsThatPost_ButNeitherDisablesTheAccountNorStopsItsOtherPosts()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "3000");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -1));
        _graph.Given(Request.Create().WithPath("/v26.0/3000/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"error":{"message":"(#368) The action attempted has been deemed abusive or is otherwise disallowed","type":"OAuthException","code":368,"fbtrace_id":"x"}}"""));
        await using var worker = LiveWorker();

        var result = await RunAsync(worker);

        Assert.Equal(2, result.Failed);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE status <> 'active'"));
        Assert.Equal(2, _graph.LogEntries.Count);
    }

    [Fact]
    public async Task PostingTooFast_DefersThePostAnHour_WithoutSpendingAnAttempt()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "3100");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));
        _graph.Given(Request.Create().WithPath("/v26.0/3100/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"error":{"message":"(#368) It looks like you were misusing this feature by going too fast.","type":"OAuthException","code":368,"error_subcode":1390008,"fbtrace_id":"x"}}"""));
        await using var worker = LiveWorker();

        await RunAsync(worker);

        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0 AND next_attempt_at > UTC_TIMESTAMP(6) + INTERVAL 50 MINUTE"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE status <> 'active'"));
    }

    [Theory]
    [InlineData(500, """{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"x"}}""")]
    [InlineData(400, """{"error":{"message":"(#368) This content has already been posted","type":"OAuthException","code":368,"fbtrace_id":"x"}}""")]
    public async Task AnAnswerToThePublishCallThatMayFollowThePostGoingLive_IsReconciledWithTheSavedPost_NeitherFailedNorPublishedAgain(
        int status, string body)
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "3200");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));
        _graph.Given(Request.Create().WithPath("/v26.0/3200/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"3200_1"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/3200_1").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));
        _graph.Given(Request.Create().WithPath("/v26.0/3200_1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"3200_1","is_published":true}"""));
        await using var worker = LiveWorker();

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Published);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = '3200_1'"));
        Assert.Single(_graph.LogEntries, e => e.RequestMessage.Path == "/v26.0/3200_1" && e.RequestMessage.Method == "POST");
        Assert.Single(_graph.LogEntries, e => e.RequestMessage.Path == "/v26.0/3200/feed");
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE status <> 'active'"));
    }

    [Fact]
    public async Task ARetiredLinkedInVersion_DefersEveryPost_AndAlertsOnce()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.LinkedIn, "urn:li:organization:77");
        foreach (var text in new[] { "One", "Two" })
        {
            await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
                account.Id, text, DateTimeOffset.UtcNow.AddSeconds(1).ToString("O")));
        }

        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(426).WithBody(
                """{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20250401 is not active"}"""));
        var alerts = new Dispatching.DispatcherTests.CapturingAlerts();
        await using var worker = LiveWorker(
            s => s.AddSingleton<Application.Dispatching.Alerts.IAlertSink>(alerts),
            ("Platforms:LinkedIn:BaseUrl", _graph.Url), ("Platforms:LinkedIn:Version", "202504"));

        await RunAsync(worker);

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0 AND next_attempt_at > UTC_TIMESTAMP(6) + INTERVAL 10 MINUTE"));
        var alert = Assert.Single(alerts.ConfigurationAlerts);
        Assert.Equal(("Platforms:LinkedIn:Version", Domain.SocialAccounts.Platform.LinkedIn), (alert.Setting, alert.Platform));
        Assert.Empty(alerts.Posts);
    }

    [Fact]
    public async Task ALinkedInDuplicateOfAnOlderPost_FailsThePost_InsteadOfReportingItLive()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.LinkedIn, "urn:li:organization:78");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Said before", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O")));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(422).WithBody(
                """{"message":"Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}"""));
        _graph.Given(Request.Create().WithPath("/rest/posts/urn:li:share:7141138937766391808").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                $$"""{"id":"urn:li:share:7141138937766391808","author":"urn:li:organization:78","createdAt":{{DateTimeOffset.UtcNow.AddDays(-40).ToUnixTimeMilliseconds()}}}"""));
        await using var worker = LiveWorker(("Platforms:LinkedIn:BaseUrl", _graph.Url));

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Failed);
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM post_details WHERE status = 'failed' AND external_post_id IS NULL AND error_message LIKE 'LinkedIn refuses content duplicating urn:li:share:7141138937766391808%'"));
    }

    [Fact]
    public async Task AnInstagramContainerFailingWithARetryableCode_IsDroppedAndRetried_NotFailed()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.Instagram, "1785");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Try again", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"), MediaUrls: ["https://cdn.example/a.jpg"]));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/v26.0/1785/content_publishing_limit").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[{"quota_usage":1,"config":{"quota_total":100,"quota_duration":86400}}]}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1785/media").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-9"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/C-9").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                """{"id":"C-9","status_code":"ERROR","status":"Error: Media upload has failed with error code 2207082"}"""));
        await using var worker = RetryPinnedWorker(("Platforms:Instagram:BaseUrl", _graph.Url), ("Platforms:Instagram:StatusPollSeconds", "0"));

        var result = await RunAsync(worker);

        // The container is dropped and the post waits for its retry (a minute: the jitter is pinned), no attempt reusing it.
        Assert.Equal((1, 0), (result.Retried, result.Failed));
        Assert.Single(_graph.LogEntries, e => e.RequestMessage.Path == "/v26.0/1785/media" && e.RequestMessage.Method == "POST");
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 1 AND (platform_state IS NULL OR platform_state NOT LIKE '%C-9%') "
            + "AND next_attempt_at > UTC_TIMESTAMP(6) + INTERVAL 50 SECOND"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Path == "/v26.0/1785/media_publish");
    }

    [Fact]
    public async Task AnInstagramPostRestrictedAsSpam_Fails_InsteadOfBeingDeferredForever()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.Instagram, "1786");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Spammy?", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"), MediaUrls: ["https://cdn.example/a.jpg"]));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/v26.0/1786/content_publishing_limit").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[{"quota_usage":1,"config":{"quota_total":100,"quota_duration":86400}}]}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1786/media").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-10"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/C-10").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-10","status_code":"FINISHED"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1786/media_publish").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"error":{"message":"The action is restricted","type":"OAuthException","code":4,"error_subcode":2207051,"is_transient":false,"fbtrace_id":"x"}}"""));
        await using var worker = LiveWorker(("Platforms:Instagram:BaseUrl", _graph.Url), ("Platforms:Instagram:StatusPollSeconds", "0"));

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Failed);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'failed' AND error_message LIKE '%suspected spam%'"));
    }

    [Fact]
    public async Task RecoveryThatCanNeverConfirm_GivesUpAfterTheLimit_InsteadOfPublishingBlindly()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "4000");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));
        _graph.Given(Request.Create().WithPath("/v26.0/4000/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500));
        await using var worker = LiveWorker(("Dispatcher:ReconcileGiveUpHours", "1"));
        var queue = worker.GetRequiredService<IJobQueue>();
        var job = Assert.Single(await queue.ClaimDueAsync("died", 1, TimeSpan.FromMilliseconds(300), Ct));
        await ExecuteAsync("UPDATE post_schedule SET publish_started_at = UTC_TIMESTAMP(6) - INTERVAL 2 HOUR");
        await Task.Delay(500, Ct);

        await RunAsync(worker);

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'failed' AND error_message LIKE '%could not confirm%'"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task AfterACrashBetweenThePublishCallAndTheCommit_ThePostIsFound_NotPublishedTwice()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "2000");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1, tag: "crash"));
        _graph.Given(Request.Create().WithPath("/v26.0/2000_777").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"2000_777","is_published":true}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/2000/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"2000_888"}"""));
        await using var worker = LiveWorker(("Dispatcher:LeaseSeconds", "2"), ("Dispatcher:LeaseRenewSeconds", "1"));

        // The worker that published (phase one saved the post's id; phase two made it live) died before it could commit.
        var queue = worker.GetRequiredService<IJobQueue>();
        var job = Assert.Single(await queue.ClaimDueAsync("died", 1, TimeSpan.FromMilliseconds(300), Ct));
        Assert.True(await worker.GetRequiredService<IPlatformStateStore>().SaveAsync(job.PostId, job.LockToken, """{"postId":"2000_777"}""", Ct));
        await Task.Delay(500, Ct);

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Recovered);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = '2000_777'"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task AnInstagramPostInterruptedAfterItsContainer_ResumesThatContainer_NeverMakesASecond()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.Instagram, "1784");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Resume me", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"), MediaUrls: ["https://cdn.example/a.jpg"]));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/v26.0/1784/content_publishing_limit").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[{"quota_usage":1,"config":{"quota_total":100,"quota_duration":86400}}]}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1784/media").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-1"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/C-1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-1","status_code":"FINISHED"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1784/media").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[]}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1784/media_publish").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"M-1"}"""));
        await using var worker = LiveWorker(("Platforms:Instagram:BaseUrl", _graph.Url), ("Platforms:Instagram:StatusPollSeconds", "0"));

        // A worker made the container, saved its id, and died before publishing.
        var queue = worker.GetRequiredService<IJobQueue>();
        var job = Assert.Single(await queue.ClaimDueAsync("died", 1, TimeSpan.FromMilliseconds(300), Ct));
        Assert.True(await worker.GetRequiredService<IPlatformStateStore>()
            .SaveAsync(job.PostId, job.LockToken, """{"containerId":"C-1"}""", Ct));
        await Task.Delay(500, Ct);

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Recovered);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = 'M-1'"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == "/v26.0/1784/media");
        Assert.Single(_graph.LogEntries, e => e.RequestMessage.Path == "/v26.0/1784/media_publish");
    }

    [Fact]
    public async Task AReelInterruptedAfterItsUploadSessionStarted_IsFoundLiveOnRecovery_NotUploadedAgain()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "3300");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Reel time", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"),
            Media: [new Application.Posts.MediaInput("https://cdn.example/clip.mp4")], Format: Domain.Posts.PostFormat.Reel));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/v26.0/9100").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"9100","status":{"video_status":"ready","publishing_phase":{"status":"complete"}}}"""));
        await using var worker = LiveWorker(("Dispatcher:LeaseSeconds", "2"), ("Dispatcher:LeaseRenewSeconds", "1"));

        // A worker started the upload session (its video id saved), finished it, and died before it could commit.
        var queue = worker.GetRequiredService<IJobQueue>();
        var job = Assert.Single(await queue.ClaimDueAsync("died", 1, TimeSpan.FromMilliseconds(300), Ct));
        Assert.Equal(Domain.Posts.PostFormat.Reel, job.Content.Format);
        Assert.True(await worker.GetRequiredService<IPlatformStateStore>().SaveAsync(job.PostId, job.LockToken, """{"videoId":"9100"}""", Ct));
        await Task.Delay(500, Ct);

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Recovered);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = '9100'"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task ALinkedInDocumentPostInterruptedAfterItsUpload_IsFoundLiveOnRecovery_NotPostedAgain()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.LinkedIn, "urn:li:organization:80");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Our deck", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"),
            Media: [new Application.Posts.MediaInput("https://cdn.example/deck.pdf")]));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/rest/posts").WithParam("q", "author").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                {"elements":[{"id":"urn:li:share:80","author":"urn:li:organization:80","commentary":"Our deck","createdAt":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}]}
                """));
        await using var worker = LiveWorker(("Platforms:LinkedIn:BaseUrl", _graph.Url), ("Dispatcher:LeaseSeconds", "2"), ("Dispatcher:LeaseRenewSeconds", "1"));

        // A worker uploaded the document (its URN saved), posted it, and died before it could commit.
        var queue = worker.GetRequiredService<IJobQueue>();
        var job = Assert.Single(await queue.ClaimDueAsync("died", 1, TimeSpan.FromMilliseconds(300), Ct));
        Assert.Equal(Domain.Posts.MediaKind.Document, Assert.Single(job.Content.Media).Kind);
        Assert.True(await worker.GetRequiredService<IPlatformStateStore>().SaveAsync(
            job.PostId, job.LockToken, """{"uploads":{"0":{"id":"urn:li:document:D80","at":"2026-12-02T08:00:00+00:00"}}}""", Ct));
        await Task.Delay(500, Ct);

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Recovered);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = 'urn:li:share:80'"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Method is "POST" or "PUT");
    }

    private async Task<Guid> InstagramPostAsync(string externalId)
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.Instagram, externalId);
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Answers", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"), MediaUrls: ["https://cdn.example/a.jpg"]));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath($"/v26.0/{externalId}/content_publishing_limit").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[{"quota_usage":1,"config":{"quota_total":100}}]}"""));
        return account.Id;
    }

    [Theory]
    [InlineData("media", """{"error":{"message":"Media download has failed","type":"OAuthException","code":9004,"error_subcode":2207052,"is_transient":false,"fbtrace_id":"x"}}""")]
    [InlineData("media_publish", """{"error":{"message":"Media builder expired","type":"OAuthException","code":24,"error_subcode":2207008,"is_transient":false,"fbtrace_id":"x"}}""")]
    [InlineData("media_publish", """{"error":{"message":"Unknown upload error","type":"OAuthException","code":-1,"error_subcode":2207053,"is_transient":false,"fbtrace_id":"x"}}""")]
    public async Task InstagramAnswersThatNeedANewContainer_RetryWithOne_NeverFailAtOnce(string failing, string body)
    {
        await InstagramPostAsync("1790");
        _graph.Given(Request.Create().WithPath("/v26.0/1790/media").UsingPost())
            .RespondWith(failing == "media"
                ? Response.Create().WithStatusCode(400).WithBody(body)
                : Response.Create().WithStatusCode(200).WithBody("""{"id":"C-{{Random Type="Integer" Min=1 Max=999999}}"}""").WithTransformer());
        _graph.Given(Request.Create().WithPath(new WildcardMatcher("/v26.0/C-*")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"status_code":"FINISHED"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1790/media_publish").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(body));
        await using var worker = RetryPinnedWorker(("Platforms:Instagram:BaseUrl", _graph.Url), ("Platforms:Instagram:StatusPollSeconds", "0"));

        var result = await RunAsync(worker);

        // One attempt, then the wait for the retry (a minute: the jitter is pinned); the dead container is not kept.
        Assert.Equal((1, 0), (result.Retried, result.Failed));
        Assert.Single(_graph.LogEntries, e => e.RequestMessage.Path == "/v26.0/1790/media" && e.RequestMessage.Method == "POST");
        Assert.Equal(failing == "media" ? 0 : 1, _graph.LogEntries.Count(e => e.RequestMessage.Path == "/v26.0/1790/media_publish"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 1 AND (platform_state IS NULL OR platform_state NOT LIKE '%C-%')"));
    }

    [Fact]
    public async Task DoesNotExistForAValidContainer_IsReadAgain_AndThePostGoesOut()
    {
        await InstagramPostAsync("1791");
        _graph.Given(Request.Create().WithPath("/v26.0/1791/media").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-33"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/C-33").UsingGet()).InScenario("33").WillSetStateTo("visible")
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"error":{"message":"Unsupported get request. Object with ID 'C-33' does not exist","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"x"}}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/C-33").UsingGet()).InScenario("33").WhenStateIs("visible")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"C-33","status_code":"FINISHED"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/1791/media_publish").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"M-33"}"""));
        await using var worker = LiveWorker(("Platforms:Instagram:BaseUrl", _graph.Url), ("Platforms:Instagram:StatusPollSeconds", "0"));

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Published);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = 'M-33'"));
    }

    [Fact]
    public async Task ALinkedInThrottle_DefersThePost_CountsItOnTheRow_AndSpendsNoAttempt()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Domain.SocialAccounts.Platform.LinkedIn, "urn:li:organization:79");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Throttled", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O")));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/rest/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithBody(
                """{"message":"Resource level throttle limit for calls to this resource is reached.","serviceErrorCode":101,"status":429}"""));
        await using var worker = LiveWorker(("Platforms:LinkedIn:BaseUrl", _graph.Url));

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Deferred);
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0 AND platform_state LIKE '%\"throttles\":1%' "
            + "AND next_attempt_at BETWEEN UTC_TIMESTAMP(6) + INTERVAL 50 SECOND AND UTC_TIMESTAMP(6) + INTERVAL 70 SECOND"));
    }

    [Fact]
    public async Task PhotosAlreadyPosted_IsReconciled_AndAnEarlierAttemptsLivePostIsKept()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "3400");
        await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(
            account.Id, "Photo post", DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"), MediaUrls: ["https://cdn.example/a.jpg"]));
        await Task.Delay(1200, Ct);
        _graph.Given(Request.Create().WithPath("/v26.0/3400/photos").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"555"}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/3400/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":1366051,"error_user_msg":"These photos were already posted.","fbtrace_id":"x"}}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/3400/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                {"data":[{"id":"3400_1","message":"Photo post","created_time":"{{DateTimeOffset.UtcNow.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}}+0000"}]}
                """));
        await using var worker = LiveWorker();

        var result = await RunAsync(worker);

        Assert.Equal(1, result.Published);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id = '3400_1'"));
        Assert.DoesNotContain(_graph.LogEntries, e => e.RequestMessage.Path.StartsWith("/v26.0/3400_", StringComparison.Ordinal));
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _graph.ResetLogEntries();
    }

    public override ValueTask DisposeAsync()
    {
        _graph.Stop();
        _graph.Dispose();
        return base.DisposeAsync();
    }

    private ServiceProvider LiveWorker(params (string Key, string? Value)[] settings) => LiveWorker(_ => { }, settings);

    /// <summary>A worker whose retries wait exactly a minute: the backoff's jitter is pinned to its maximum.</summary>
    private ServiceProvider RetryPinnedWorker(params (string Key, string? Value)[] settings) =>
        LiveWorker(
            s => s.AddSingleton<IJitter>(new Dispatching.FixedJitter(1.0)),
            [("Dispatcher:BackoffBaseSeconds", "60"), ("Dispatcher:BackoffCapSeconds", "60"), .. settings]);

    private ServiceProvider LiveWorker(Action<IServiceCollection> configure, params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DatabaseFixture.Settings(
                Database.ConnectionString,
                [("Publishing:Mode", "Live"), ("Platforms:Facebook:BaseUrl", _graph.Url), .. settings]))
            .Build();
        return DatabaseFixture.BuildServices(configuration, configure);
    }

    /// <summary>One dispatcher run, then one pass of the alert outbox (a worker's background sender does it every few seconds).</summary>
    private static async Task<ProcessDueJobsResult> RunAsync(IServiceProvider services)
    {
        ProcessDueJobsResult result;
        await using (var scope = services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
        }

        await services.GetRequiredService<Scheduler.Infrastructure.Alerts.AlertOutboxSender>().DeliverDueAsync(Ct);
        return result;
    }
}
