using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Infrastructure.IntegrationTests.Dispatching;
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
        await using var worker = LiveWorker();

        var result = await RunAsync(worker);

        Assert.Equal((10, 10), (result.Claimed, result.Published));
        Assert.Equal(10, _graph.LogEntries.Count);
        Assert.All(_graph.LogEntries, e => Assert.Equal("Bearer token-1000", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Equal(10, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id LIKE '1000\\_%'"));
    }

    [Fact]
    public async Task APolicyBlock_FailsThePostAndDisablesTheAccount()
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
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE status = 'disabled' AND status_reason LIKE '%368%'"));
        Assert.Single(_graph.LogEntries); // the second post failed fast on the disabled account
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
        _graph.Given(Request.Create().WithPath("/v26.0/2000/published_posts").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody("""{"data":[{"id":"2000_777","message":"crash 1","created_time":"2026-11-29T12:00:00+0000"}]}"""));
        _graph.Given(Request.Create().WithPath("/v26.0/2000/feed").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"2000_888"}"""));
        await using var worker = LiveWorker(("Dispatcher:LeaseSeconds", "2"), ("Dispatcher:LeaseRenewSeconds", "1"));

        // The worker that published (the fake already shows the post) died before it could commit.
        var queue = worker.GetRequiredService<IJobQueue>();
        var job = Assert.Single(await queue.ClaimDueAsync("died", 1, TimeSpan.FromMilliseconds(300), Ct));
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

    private ServiceProvider LiveWorker(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DatabaseFixture.Settings(
                Database.ConnectionString,
                [("Publishing:Mode", "Live"), ("Platforms:Facebook:BaseUrl", _graph.Url), .. settings]))
            .Build();
        return DatabaseFixture.BuildServices(configuration);
    }

    private static async Task<ProcessDueJobsResult> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
    }
}
