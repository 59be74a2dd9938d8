using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Dispatching;

/// <summary>
/// One platform call for a claimed row, and the reconciliation its answer may need. It reads nothing from the
/// database (the claim brought the post and the account) and writes nothing: it returns a <see cref="JobVerdict"/>
/// for the finish. No transaction is open while the platform is called.
/// </summary>
public sealed partial class PublishAttempt(
    ITokenProtector tokens,
    IEnumerable<IPlatformPublisher> publishers,
    MisconfigurationAlerts misconfiguration,
    TimeProvider clock,
    IOptions<DispatcherOptions> options,
    ILogger<PublishAttempt> logger)
{
    private readonly Dictionary<Domain.SocialAccounts.Platform, IPlatformPublisher> _publishers =
        publishers.GroupBy(p => p.Platform).ToDictionary(g => g.Key, g => g.First());

    /// <summary>The longest "retry after" a first comment waits for while its row is held; a longer one fails it.</summary>
    public static readonly TimeSpan LongestCommentWait = TimeSpan.FromSeconds(30);

    /// <summary>Publishes a freshly claimed row.</summary>
    public async Task<JobVerdict> PublishAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var startedAt = job.PublishStartedAt ?? clock.UtcNow();
        if (options.Value.MissedAfter is { } cutoff && startedAt - job.RunAt > cutoff)
        {
            return new JobVerdict(
                job,
                new PublishOutcome.Missed(
                    $"Not published within {Common.Scheduling.Durations.Human(cutoff)} of its time (Dispatcher:MissedAfter); found {Common.Scheduling.Durations.Human(startedAt - job.RunAt)} late, so not sent."),
                startedAt) { CalledPlatform = false };
        }

        var prepared = Prepare(job);
        if (prepared.Refusal is { } refusal)
        {
            return new JobVerdict(job, refusal, startedAt);
        }

        if (!_publishers.TryGetValue(job.Platform, out var publisher))
        {
            return new JobVerdict(job, NoPublisher(job), startedAt);
        }

        var request = prepared.Request!;
        PublishOutcome? outcome;
        try
        {
            outcome = await publisher.PublishAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or LeaseLostException))
        {
            // A publisher bug, not an answer from the platform: logged in full, then treated as "may have gone out".
            LogPublisherFault(logger, ex, job.PostId, EnumNames.Of(job.Platform));
            outcome = new PublishOutcome.Unknown($"The publisher failed: {ex.Message}");
        }

        if (outcome is PublishOutcome.Unknown or PublishOutcome.Duplicate)
        {
            outcome = await ReconcileAsync(publisher, request, startedAt, outcome, cancellationToken);
        }

        await misconfiguration.ObserveAsync(job.Platform, outcome, cancellationToken);
        var comment = outcome is PublishOutcome.Published live && job.Content.FirstComment is { } message
            ? await CommentAsync(publisher, request, live.ExternalPostId, message, cancellationToken)
            : null;
        return new JobVerdict(job, outcome, startedAt) { FirstComment = comment };
    }

    /// <summary>
    /// The first comment under a post made live. An answer that invites a retry (a short rate limit, a connection
    /// refused) is tried again while the row is held; a lost answer is reconciled first — found is posted, not found is
    /// tried again, unknowable is left (never twice). With <paramref name="askFirst"/> (a post recovery found live) the
    /// platform is asked before anything is sent. Its failure never touches the post, which stays published.
    /// </summary>
    private async Task<FirstCommentResult> CommentAsync(
        IPlatformPublisher publisher, PublishRequest request, string externalPostId, string message, CancellationToken ct, bool askFirst = false)
    {
        const string NotSentAgain = "whether the comment is there could not be checked, so it was not sent again.";
        if (askFirst)
        {
            var (existing, unknowable) = await LookForCommentAsync(publisher, request, externalPostId, message, ct);
            if (existing is not null || unknowable)
            {
                return existing is not null ? FirstCommentResult.Posted(existing) : FirstCommentResult.Failed($"The worker stopped after the post went live; {NotSentAgain}");
            }
        }

        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var answer = await SendCommentAsync(publisher, request, externalPostId, message, ct);
            if (answer is PublishOutcome.Published posted)
            {
                return FirstCommentResult.Posted(posted.ExternalPostId);
            }

            if (answer is PublishOutcome.Unknown unknown)
            {
                var (existing, unknowable) = await LookForCommentAsync(publisher, request, externalPostId, message, ct);
                if (existing is not null || unknowable)
                {
                    return existing is not null ? FirstCommentResult.Posted(existing) : FirstCommentResult.Failed($"{unknown.Reason}; {NotSentAgain}");
                }

                answer = new PublishOutcome.Transient($"{unknown.Reason}; the comment is not there");
            }

            TimeSpan? wait = answer switch
            {
                PublishOutcome.Transient transient => transient.RetryAfter ?? TimeSpan.FromSeconds(settings.FirstCommentRetrySeconds),
                PublishOutcome.RateLimited limited => limited.Until - clock.UtcNow(),
                PublishOutcome.NotReady notReady => notReady.Until - clock.UtcNow(),
                _ => null,
            };
            if (wait is not { } delay || attempt >= settings.FirstCommentTries || delay > LongestCommentWait)
            {
                return FirstCommentResult.Failed(answer.Detail);
            }

            await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, clock, ct);
        }
    }

    /// <summary>One comment call; a publisher bug is logged and treated as "may have gone out".</summary>
    private async Task<PublishOutcome> SendCommentAsync(
        IPlatformPublisher publisher, PublishRequest request, string externalPostId, string message, CancellationToken ct)
    {
        try
        {
            return await publisher.CommentAsync(request, externalPostId, message, ct);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or LeaseLostException))
        {
            LogCommentFault(logger, ex, request.PostId, EnumNames.Of(request.Platform));
            return new PublishOutcome.Unknown($"The comment call failed: {ex.Message}");
        }
    }

    /// <summary>The account's comment with this message under the post, if the platform can say; unknowable when it cannot.</summary>
    private async Task<(string? Id, bool Unknowable)> LookForCommentAsync(
        IPlatformPublisher publisher, PublishRequest request, string externalPostId, string message, CancellationToken ct)
    {
        try
        {
            return (await publisher.FindCommentAsync(request, externalPostId, message, ct), false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or LeaseLostException))
        {
            LogCommentReconcileFailed(logger, ex, request.PostId, EnumNames.Of(request.Platform));
            return (null, true);
        }
    }

    /// <summary>
    /// Takes up a row whose worker died: the post may be live, so the platform is asked first. Found means
    /// published; not found puts the post back in the queue (the dead worker's attempt refunded, the recovery counted).
    /// </summary>
    public async Task<JobVerdict> RecoverAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var startedAt = job.PublishStartedAt ?? job.ClaimedAt;
        var prepared = Prepare(job);
        if (prepared.Refusal is { } refusal)
        {
            return new JobVerdict(job, refusal, startedAt, TakenOver: true);
        }

        if (job.PublishStartedAt is null)
        {
            return new JobVerdict(job, NotLive("The worker stopped before publishing"), startedAt, TakenOver: true);
        }

        if (!_publishers.TryGetValue(job.Platform, out var publisher))
        {
            return new JobVerdict(job, NoPublisher(job), startedAt, TakenOver: true);
        }

        var outcome = await ReconcileAsync(
            publisher, prepared.Request!, startedAt, new PublishOutcome.Unknown("The worker stopped while publishing (lease expired)"),
            cancellationToken);
        var giveUp = TimeSpan.FromHours(options.Value.ReconcileGiveUpHours);
        if (outcome is null && clock.UtcNow() - startedAt > giveUp)
        {
            outcome = new PublishOutcome.Permanent(
                $"{job.Platform} could not confirm for {options.Value.ReconcileGiveUpHours} h whether this post went live; "
                + "check the account before retrying it.");
        }

        // The dead worker may have posted the comment too, or died before it: the platform is asked before it is sent.
        var comment = outcome is PublishOutcome.Published live && job.Content.FirstComment is { } message
            ? await CommentAsync(publisher, prepared.Request!, live.ExternalPostId, message, cancellationToken, askFirst: true)
            : null;
        return new JobVerdict(job, outcome, startedAt, TakenOver: true) { FirstComment = comment };
    }

    /// <summary>
    /// Asks the platform whether an attempt whose answer is missing (or was "duplicate") went live. Null when the
    /// platform cannot tell now: the row is left leased, so recovery asks again after the lease, and nothing is
    /// published twice on a guess.
    /// </summary>
    private async Task<PublishOutcome?> ReconcileAsync(
        IPlatformPublisher publisher, PublishRequest request, DateTimeOffset startedAt, PublishOutcome answer, CancellationToken ct)
    {
        string? existing;
        try
        {
            existing = await publisher.FindExistingAsync(request, startedAt, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReconcileFailed(logger, ex, request.PostId, EnumNames.Of(request.Platform));
            return null;
        }

        return (existing, answer) switch
        {
            ({ } id, _) => new PublishOutcome.Published(id),
            (null, PublishOutcome.Duplicate duplicate) =>
                new PublishOutcome.Permanent($"{duplicate.Reason} (no matching post was found on the platform)"),
            (null, PublishOutcome.Unknown unknown) => NotLive(unknown.Reason),
            _ => answer,
        };
    }

    private Prepared Prepare(ClaimedJob job)
    {
        var account = job.Account;
        if (!account.IsActive)
        {
            return new Prepared(null, new PublishOutcome.Permanent(
                $"The {job.Platform} account '{account.DisplayName}' is {EnumNames.Of(account.Status)}: reconnect it, then retry the post."));
        }

        if (!tokens.TryUnprotect(account.AccessTokenEncrypted, out var accessToken))
        {
            return new Prepared(null, new PublishOutcome.AuthInvalid(
                "The stored access token can no longer be decrypted (the key ring changed): reconnect the account."));
        }

        return new Prepared(
            new PublishRequest(
                job.PostId, job.SocialAccountId, job.Platform, account.ExternalAccountId, accessToken, job.Content.Text,
                job.Content.Media, job.Content.Link, job.Attempts, job.LockToken, job.Content.PlatformState, job.RunAt,
                job.Content.Format, account.Login),
            null);
    }

    private static PublishOutcome.Transient NotLive(string reason) =>
        new($"{reason}; the post is not on the platform, so it is retried.");

    private static PublishOutcome.Permanent NoPublisher(ClaimedJob job) =>
        new($"{job.Platform} posts cannot be published in this publishing mode yet.");

    private sealed record Prepared(PublishRequest? Request, PublishOutcome? Refusal);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not ask {Platform} whether post {PostId} is live; the row stays leased and recovery will ask again")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, Guid postId, string platform);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not ask {Platform} whether the first comment under post {PostId} is there; it is not sent again")]
    private static partial void LogCommentReconcileFailed(ILogger logger, Exception exception, Guid postId, string platform);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Platform} publisher threw commenting under post {PostId}")]
    private static partial void LogCommentFault(ILogger logger, Exception exception, Guid postId, string platform);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Platform} publisher threw for post {PostId}")]
    private static partial void LogPublisherFault(ILogger logger, Exception exception, Guid postId, string platform);
}
