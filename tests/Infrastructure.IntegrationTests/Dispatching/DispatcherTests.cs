using System.Collections.Concurrent;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.GetPost;
using Scheduler.Application.Posts.GetScheduledPosts;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

/// <summary>ProcessDueJobs end to end on MariaDB with the sandbox publisher and its failure injection.</summary>
public sealed class DispatcherTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task DuePosts_ArePublishedOnce_WithTheirAttemptRecorded()
    {
        var (company, _) = await SeedAsync(20);
        await using var worker = Worker();

        var result = await RunAsync(worker.Services);

        Assert.Equal(20, result.Claimed);
        Assert.Equal(20, result.Published);
        Assert.Equal(20, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND external_post_id LIKE 'sandbox-facebook-%' AND published_at IS NOT NULL"));
        Assert.Equal(20, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'done' AND attempts = 1"));
        Assert.Equal(20, await CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications WHERE outcome = 'published'"));
        Assert.Equal(20, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        var post = (await SendAsync(company, new GetScheduledPostsQuery(Limit: 1))).Items[0];
        var details = await SendAsync(company, new GetPostQuery(post.Id));
        var attempt = Assert.Single(details.AttemptHistory);
        Assert.Equal((1, "published", details.ExternalPostId), (attempt.Number, attempt.Outcome, attempt.ExternalPostId));
        Assert.Equal(PostState.Published, details.Status);
        Assert.Equal(0, (await RunAsync(worker.Services)).Claimed);
        Assert.Empty(worker.Alerts.Posts);
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task TransientFailures_BackOffAndTheThirdFailsThePostWithItsErrorAndAnAlert()
    {
        await SeedAsync(1);
        await using var worker = Worker(("Sandbox:FailureRates:Transient", "1"));

        var result = await RunAsync(worker.Services);

        Assert.Equal(3, result.Claimed);
        Assert.Equal(1, result.Failed);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'failed' AND error_message LIKE 'Sandbox: injected transient%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'failed' AND attempts = 3"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM post_attempts WHERE outcome = 'transient'"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(DISTINCT number) FROM post_attempts"));
        Assert.Contains("transient", Assert.Single(worker.Alerts.Posts).Reason, StringComparison.Ordinal);
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task WithAMissedCutoff_APostFoundTooLate_IsMissedNotSent_AndOneOnTimeIsPublished()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -3_600, tag: "late"));
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -60, tag: "recent"));
        await using var worker = Worker(("Dispatcher:MissedAfter", "00:30:00"));

        await RunAsync(worker.Services);

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'missed' AND content LIKE 'late %' AND error_message LIKE 'Not published within 30 min%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published' AND content LIKE 'recent %'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM sandbox_publications p JOIN post_details d ON d.id = p.post_id WHERE d.content LIKE 'late %'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM post_attempts a JOIN post_details d ON d.id = a.post_detail_id WHERE d.content LIKE 'late %'"));
        Assert.Equal(2, worker.Alerts.Posts.Count(a => a.Reason.StartsWith("Missed: ", StringComparison.Ordinal)));
        var missed = await SendAsync(company, new GetScheduledPostsQuery(Status: PostState.Missed));
        Assert.Equal(2, missed.Items.Count);
        Assert.All(missed.Items, p => Assert.Equal(PostState.Missed, p.Status));
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task DraftsAndPostsAwaitingApproval_AreNeverClaimed_EvenWhenTheirTimeHasCome()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        var runAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var draft = await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(account.Id, "draft", runAt, Draft: true));
        var awaiting = await SendAsync(company, new Application.Posts.SchedulePost.SchedulePostCommand(account.Id, "awaiting", runAt, Draft: true));
        await SendAsync(company, new Application.Posts.Drafts.MoveDraftCommand(awaiting.Id, Application.Posts.Drafts.DraftAction.Submit));
        await ExecuteAsync("UPDATE post_schedule SET next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE");
        await using var worker = Worker();

        var result = await RunAsync(worker.Services);

        Assert.Equal(0, result.Claimed);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        Assert.Equal(
            (PostState.Draft, PostState.PendingApproval),
            ((await SendAsync(company, new GetPostQuery(draft.Id))).Status, (await SendAsync(company, new GetPostQuery(awaiting.Id))).Status));
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task WithoutACutoff_ALatePostIsStillPublished()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -86_400, tag: "late"));
        await using var worker = Worker();

        await RunAsync(worker.Services);

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'"));
    }

    [Fact]
    public async Task ATransientFailure_WaitsWithinTheBackoffBound()
    {
        await SeedAsync(1);
        await using var worker = Worker(
            ("Sandbox:FailureRates:Transient", "1"), ("Dispatcher:BackoffBaseSeconds", "30"), ("Dispatcher:BackoffCapSeconds", "40"));

        await RunAsync(worker.Services);

        // First failure: a random wait in [0, min(cap, base·2^0)] = [0, 30 s].
        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 1 AND lock_token IS NULL
              AND next_attempt_at BETWEEN UTC_TIMESTAMP(6) - INTERVAL 5 SECOND AND UTC_TIMESTAMP(6) + INTERVAL 31 SECOND
            """));
    }

    [Fact]
    public async Task RetryAfter_IsHonouredAsAFloor()
    {
        await SeedAsync(1);
        await using var worker = Worker(("Sandbox:FailureRates:Transient", "1"), ("Sandbox:RetryAfterSeconds", "120"));

        await RunAsync(worker.Services);

        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 1
              AND next_attempt_at >= UTC_TIMESTAMP(6) + INTERVAL 115 SECOND AND next_attempt_at <= UTC_TIMESTAMP(6) + INTERVAL 121 SECOND
              AND run_at < UTC_TIMESTAMP(6)
            """));
    }

    [Fact]
    public async Task Backoff_CountsFromTheInjectedClock()
    {
        await SeedAsync(1);
        var clock = new ShiftedClock(TimeSpan.FromDays(1));
        await using var worker = Worker(
            s => s.AddSingleton<TimeProvider>(clock), ("Sandbox:FailureRates:Transient", "1"), ("Sandbox:RetryAfterSeconds", "60"));

        await RunAsync(worker.Services);

        // The database clock decides what is due; the application clock (here a day ahead) stamps the retry time.
        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 1
              AND next_attempt_at BETWEEN UTC_TIMESTAMP(6) + INTERVAL 1 DAY + INTERVAL 55 SECOND
                             AND UTC_TIMESTAMP(6) + INTERVAL 1 DAY + INTERVAL 65 SECOND
            """));
    }

    [Fact]
    public async Task ARateLimit_DefersWithoutSpendingAnAttempt()
    {
        await SeedAsync(2);
        await using var worker = Worker(("Sandbox:FailureRates:RateLimited", "1"), ("Sandbox:RateLimitSeconds", "3600"));

        var result = await RunAsync(worker.Services);

        Assert.Equal(2, result.Deferred);
        Assert.Equal(2, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0
              AND next_attempt_at > UTC_TIMESTAMP(6) + INTERVAL 3500 SECOND
            """));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_attempts WHERE outcome = 'rate_limited'"));
        Assert.Empty(worker.Alerts.Posts);
    }

    [Fact]
    public async Task APermanentFailure_FailsAtOnce()
    {
        await SeedAsync(1);
        await using var worker = Worker(("Sandbox:FailureRates:Permanent", "1"));

        var result = await RunAsync(worker.Services);

        Assert.Equal((1, 1), (result.Claimed, result.Failed));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'failed' AND attempts = 1"));
        Assert.Single(worker.Alerts.Posts);
    }

    [Fact]
    public async Task AnInvalidToken_FailsThePost_MarksTheAccount_AndTheAccountsOtherPostsFailFast()
    {
        var (_, account) = await SeedAsync(3);
        await using var worker = Worker(("Sandbox:FailureRates:AuthInvalid", "1"));

        var result = await RunAsync(worker.Services);

        Assert.Equal(3, result.Failed);
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM social_accounts WHERE status = 'needs_reconnect' AND status_reason LIKE '%190%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'failed' AND error_message LIKE '%reconnect it%'"));
        var alert = Assert.Single(worker.Alerts.Accounts);
        Assert.Equal(account, alert.AccountId);
        Assert.Equal(3, worker.Alerts.Posts.Count);
    }

    [Fact]
    public async Task AnUnknownAnswer_IsReconciled_AndThePostIsPublishedOnce()
    {
        await SeedAsync(5);
        await using var worker = Worker(("Sandbox:FailureRates:Unknown", "1"));

        var result = await RunAsync(worker.Services);

        Assert.Equal((5, 5), (result.Claimed, result.Published));
        Assert.Equal(5, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
        Assert.Equal(5, await CountAsync("""
            SELECT COUNT(*) FROM post_details d JOIN sandbox_publications p ON p.post_id = d.id
            WHERE d.status = 'published' AND d.external_post_id = p.external_post_id
            """));
    }

    [Fact]
    public async Task Recovery_ReconcilesAWorkerThatDiedMidPublish_WithoutPublishingTwiceOrSpendingAnAttempt()
    {
        await SeedAsync(2);
        await using var worker = Worker();
        var queue = worker.Services.GetRequiredService<IJobQueue>();
        var publisher = worker.Services.GetServices<IPlatformPublisher>().First();

        // A worker claims both (a claim starts the attempt); the platform takes the first; then the worker dies.
        var jobs = await queue.ClaimDueAsync("doomed-worker", 2, TimeSpan.FromMilliseconds(300), Ct);
        await publisher.PublishAsync(
            new PublishRequest(jobs[0].PostId, jobs[0].SocialAccountId, jobs[0].Platform, "x", "token", "c", [], null, 1, jobs[0].LockToken), Ct);
        await Task.Delay(500, Ct);

        var result = await RunAsync(worker.Services);

        Assert.Equal(2, result.Recovered);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE attempts = 1"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE recoveries = 1"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'processing'"));
    }

    [Fact]
    public async Task AFirstComment_IsPublishedUnderItsPost_RightAfterIt()
    {
        var (company, _) = await SeedAsync(3);
        await ExecuteAsync("UPDATE post_details SET first_comment = 'Menu: https://example.com/menu', first_comment_status = 'pending'");
        await using var worker = Worker();

        var result = await RunAsync(worker.Services);

        Assert.Equal(3, result.Published);
        Assert.Equal(3, await CountAsync("""
            SELECT COUNT(*) FROM post_details d
            JOIN sandbox_publications p ON p.post_id = d.id AND p.outcome = 'published' AND p.external_post_id = d.external_post_id
            JOIN sandbox_publications c ON c.post_id = d.id AND c.outcome = 'comment' AND c.external_post_id = d.first_comment_id AND c.id > p.id
            WHERE d.status = 'published' AND d.first_comment_status = 'published' AND d.first_comment_error IS NULL
            """));
        Assert.Equal(6, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        var post = await SendAsync(company, new GetPostQuery((await SendAsync(company, new GetScheduledPostsQuery(Limit: 1))).Items[0].Id));
        Assert.Equal(("Menu: https://example.com/menu", Domain.Posts.FirstCommentStatus.Published), (post.FirstComment, post.FirstCommentStatus));
        Assert.StartsWith(post.ExternalPostId!, post.FirstCommentId, StringComparison.Ordinal);
        Assert.Empty(worker.Alerts.CommentAlerts);
    }

    [Fact]
    public async Task AFailedFirstComment_LeavesThePostPublished_WithTheCommentsOwnError_AnAlert_AndNoSecondPublication()
    {
        await SeedAsync(1);
        await ExecuteAsync("UPDATE post_details SET first_comment = 'Link in bio', first_comment_status = 'pending'");
        await using var worker = Worker(("Sandbox:CommentFailureRate", "1"));

        var result = await RunAsync(worker.Services);

        Assert.Equal((1, 0, 0), (result.Published, result.Failed, result.Retried));
        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM post_details d JOIN post_schedule s ON s.post_detail_id = d.id
            WHERE d.status = 'published' AND s.status = 'done' AND d.error_message IS NULL
              AND d.first_comment_status = 'failed' AND d.first_comment_id IS NULL AND d.first_comment_error LIKE 'Sandbox: injected comment failure%'
            """));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'comment_failed'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_attempts WHERE outcome = 'published'"));
        var alert = Assert.Single(worker.Alerts.CommentAlerts);
        Assert.StartsWith("Sandbox: injected comment failure", alert.Reason, StringComparison.Ordinal);
        Assert.Empty(worker.Alerts.Posts);

        // Nothing is left to do: the post is never sent again because its comment failed.
        Assert.Equal(0, (await RunAsync(worker.Services)).Claimed);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task APostRecoveredLive_HasItsCommentSentOnlyIfThePlatformHasNone()
    {
        await SeedAsync(2);
        await ExecuteAsync("UPDATE post_details SET first_comment = 'First!', first_comment_status = 'pending'");
        await using var worker = Worker();
        var queue = worker.Services.GetRequiredService<IJobQueue>();
        var publisher = worker.Services.GetServices<IPlatformPublisher>().First();

        // A worker claims both and the platform takes both posts; it comments under the first only, then dies.
        var jobs = await queue.ClaimDueAsync("doomed-worker", 2, TimeSpan.FromMilliseconds(300), Ct);
        var requests = jobs.Select(j => new PublishRequest(j.PostId, j.SocialAccountId, j.Platform, "x", "token", "c", [], null, 1, j.LockToken)).ToList();
        var first = Assert.IsType<PublishOutcome.Published>(await publisher.PublishAsync(requests[0], Ct));
        await publisher.PublishAsync(requests[1], Ct);
        await publisher.CommentAsync(requests[0], first.ExternalPostId, "First!", Ct);
        await Task.Delay(500, Ct);

        var result = await RunAsync(worker.Services);

        Assert.Equal((2, 2), (result.Recovered, result.Published));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'comment'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications WHERE outcome = 'comment'"));
        Assert.Equal(2, await CountAsync("""
            SELECT COUNT(*) FROM post_details d JOIN sandbox_publications c ON c.post_id = d.id AND c.outcome = 'comment'
            WHERE d.status = 'published' AND d.first_comment_status = 'published' AND d.first_comment_id = c.external_post_id
            """));
    }

    [Fact]
    public async Task RepeatedWorkerDeathsBeforeThePlatformCall_NeverFailThePost()
    {
        await SeedAsync(1);
        await using var worker = Worker(("Dispatcher:MaxAttempts", "3"));
        var queue = worker.Services.GetRequiredService<IJobQueue>();

        for (var death = 1; death <= 5; death++)
        {
            Assert.Single(await queue.ClaimDueAsync($"doomed-{death}", 1, TimeSpan.FromMilliseconds(200), Ct));
            await Task.Delay(300, Ct);
            var taken = Assert.Single(await queue.TakeOverExpiredAsync("rescuer", 1, TimeSpan.FromMinutes(1), Ct));
            Assert.Equal(DispatchResult.Requeued, await RecoverAndFinishAsync(worker.Services, taken));
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0 AND recoveries = 5"));
        var result = await RunAsync(worker.Services);
        Assert.Equal(1, result.Published);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        Assert.Empty(worker.Alerts.Posts);
    }

    [Fact]
    public async Task APostThatKeepsKillingItsWorkers_FailsAfterMaxRecoveries_WithAnAlert()
    {
        await SeedAsync(1);
        await using var worker = Worker(("Dispatcher:MaxRecoveries", "2"));
        var queue = worker.Services.GetRequiredService<IJobQueue>();
        var results = new List<DispatchResult>();
        for (var death = 1; death <= 2; death++)
        {
            Assert.Single(await queue.ClaimDueAsync($"doomed-{death}", 1, TimeSpan.FromMilliseconds(200), Ct));
            await Task.Delay(300, Ct);
            var taken = Assert.Single(await queue.TakeOverExpiredAsync("rescuer", 1, TimeSpan.FromMinutes(1), Ct));
            results.Add(await RecoverAndFinishAsync(worker.Services, taken));
        }

        Assert.Equal([DispatchResult.Requeued, DispatchResult.Failed], results);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'failed' AND error_message LIKE 'Taken over from a stopped worker 2 times%'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        await worker.Services.GetRequiredService<Scheduler.Infrastructure.Alerts.AlertOutboxSender>().DeliverDueAsync(Ct);
        Assert.Single(worker.Alerts.Posts);
    }

    [Fact]
    public async Task ALeaseLostDuringThePlatformCall_IsFencedOff_AndTheNewHolderReconcilesToOnePublication()
    {
        await SeedAsync(1);
        await using var worker = Worker();
        var queue = worker.Services.GetRequiredService<IJobQueue>();
        var attempt = worker.Services.GetRequiredService<PublishAttempt>();

        // The old node claims and calls the platform, which takes the post but answers only after the lease ran out
        // (the node was cut off and could not renew); meanwhile another node takes the row over.
        var stale = Assert.Single(await queue.ClaimDueAsync("cut-off-node", 1, TimeSpan.FromMilliseconds(200), Ct));
        var lateAnswer = await attempt.PublishAsync(stale, Ct);
        await Task.Delay(400, Ct);
        var result = await RunAsync(worker.Services);

        Assert.Equal((1, 1), (result.Recovered, result.Published));
        Assert.Equal(DispatchResult.LeaseLost, await FinishAsync(worker.Services, lateAnswer));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM post_details d JOIN sandbox_publications p ON p.post_id = d.id
            WHERE d.status = 'published' AND d.external_post_id = p.external_post_id
            """));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_attempts WHERE outcome = 'recovered'"));
    }

    [Fact]
    public async Task LeaseRenewal_KeepsASlowPublishAlive_SoNoOtherNodeTakesItOver()
    {
        await SeedAsync(1);
        await using var slowNode = Worker(
            ("Sandbox:LatencyMs", "3500"), ("Dispatcher:LeaseSeconds", "2"), ("Dispatcher:LeaseRenewSeconds", "1"));
        await using var otherNode = Worker();

        var run = RunAsync(slowNode.Services);
        var takenOver = new List<ClaimedJob>();
        for (var look = 0; look < 6; look++)
        {
            await Task.Delay(500, Ct);
            takenOver.AddRange(await otherNode.Services.GetRequiredService<IJobQueue>()
                .TakeOverExpiredAsync("other-node", 10, TimeSpan.FromMinutes(1), Ct));
        }

        var result = await run;
        Assert.Empty(takenOver);
        Assert.Equal(1, result.Published);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'done' AND attempts = 1 AND recoveries = 0"));
    }

    [Fact]
    public async Task APlatformCallRate_SendsWhatItCannotPermitBackToTheQueue_WithoutSpendingAnAttempt()
    {
        var company = Guid.CreateVersion7();
        foreach (var page in new[] { "page-a", "page-b", "page-c" })
        {
            var account = await ConnectAsync(company, externalId: page);
            await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1, tag: page));
        }

        await using var worker = Worker(("Dispatcher:PlatformCallsPerSecond:Facebook", "1"));

        var result = await RunAsync(worker.Services);

        // One claim takes all three (three accounts); the bucket holds one call, so two go back at once.
        Assert.True(result.Deferred >= 2, $"{result.Deferred} deferred");
        var published = await CountAsync("SELECT COUNT(*) FROM sandbox_publications");
        Assert.Equal(published, result.Published);
        Assert.Equal(published, await CountAsync("SELECT COUNT(*) FROM post_attempts"));
        Assert.Equal(published, await CountAsync("SELECT COALESCE(SUM(attempts), 0) FROM post_schedule"));
        Assert.Equal(3 - published, await CountAsync("""
            SELECT COUNT(*) FROM post_schedule
            WHERE status = 'pending' AND attempts = 0 AND lock_token IS NULL AND next_attempt_at > run_at
            """));
    }

    private static async Task<DispatchResult> RecoverAndFinishAsync(IServiceProvider services, ClaimedJob job) =>
        await FinishAsync(services, await services.GetRequiredService<PublishAttempt>().RecoverAsync(job, Ct));

    private static async Task<DispatchResult> FinishAsync(IServiceProvider services, JobVerdict verdict)
    {
        await using var scope = services.CreateAsyncScope();
        return Assert.Single(await scope.ServiceProvider.GetRequiredService<JobFinisher>().FinishAsync([verdict], Ct));
    }

    private async Task<(Guid Company, Guid Account)> SeedAsync(int count)
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, count, dueInSeconds: -1));
        return (company, account.Id);
    }

    private TestWorker Worker(params (string Key, string? Value)[] settings) => Worker(_ => { }, settings);

    private TestWorker Worker(Action<IServiceCollection> configure, params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DatabaseFixture.Settings(Database.ConnectionString, settings))
            .Build();
        var alerts = new CapturingAlerts();
        return new TestWorker(
            DatabaseFixture.BuildServices(configuration, s =>
            {
                s.AddSingleton<IAlertSink>(alerts);
                configure(s);
            }),
            alerts);
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

    private sealed record TestWorker(ServiceProvider Services, CapturingAlerts Alerts) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    internal sealed class CapturingAlerts : IAlertSink
    {
        public ConcurrentQueue<PostFailedAlert> PostAlerts { get; } = new();

        public ConcurrentQueue<AccountNeedsReconnectAlert> AccountAlerts { get; } = new();

        public IReadOnlyList<PostFailedAlert> Posts => [.. PostAlerts];

        public IReadOnlyList<AccountNeedsReconnectAlert> Accounts => [.. AccountAlerts];

        public Task PostFailedAsync(PostFailedAlert alert, CancellationToken cancellationToken)
        {
            PostAlerts.Enqueue(alert);
            return Task.CompletedTask;
        }

        public Task AccountNeedsReconnectAsync(AccountNeedsReconnectAlert alert, CancellationToken cancellationToken)
        {
            AccountAlerts.Enqueue(alert);
            return Task.CompletedTask;
        }

        public ConcurrentQueue<AccountTokenExpiringAlert> ExpiringAlerts { get; } = new();

        public Task AccountTokenExpiringAsync(AccountTokenExpiringAlert alert, CancellationToken cancellationToken)
        {
            ExpiringAlerts.Enqueue(alert);
            return Task.CompletedTask;
        }

        public ConcurrentQueue<PlatformMisconfiguredAlert> ConfigurationAlerts { get; } = new();

        public ConcurrentQueue<FirstCommentFailedAlert> CommentAlerts { get; } = new();

        public Task FirstCommentFailedAsync(FirstCommentFailedAlert alert, CancellationToken cancellationToken)
        {
            CommentAlerts.Enqueue(alert);
            return Task.CompletedTask;
        }

        public Task PlatformMisconfiguredAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken)
        {
            ConfigurationAlerts.Enqueue(alert);
            return Task.CompletedTask;
        }
    }
}
