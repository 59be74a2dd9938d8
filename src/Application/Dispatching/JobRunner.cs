using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Dispatching;

/// <summary>
/// Publishes one claimed post and records how it ended, in a scope of its own. No transaction is open while the
/// platform is called; the finish is one fenced transaction over the post, its queue row, its attempt log and, when
/// the token was refused, its account.
/// </summary>
public sealed partial class JobRunner(
    IApplicationDbContext db,
    IUnitOfWork unitOfWork,
    IJobQueue queue,
    ITokenProtector tokens,
    IEnumerable<IPlatformPublisher> publishers,
    WorkerIdentity worker,
    TimeProvider clock,
    IOptions<DispatcherOptions> options,
    ILogger<JobRunner> logger)
{
    public const string LeaseLost = "lease_lost";

    /// <summary>The platform could not say whether the post is live: the row stays leased, and recovery asks again.</summary>
    public const string ReconcilePending = "reconcile_pending";

    /// <summary>The attempt-log outcome of a row taken over from a worker whose lease expired.</summary>
    public const string Recovered = "recovered";

    /// <summary>Publishes a freshly claimed job.</summary>
    public async Task<string> PublishAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var request = await PrepareAsync(job, cancellationToken);
        if (request is null)
        {
            return LeaseLostFor(job);
        }

        if (request.Refusal is { } refusal)
        {
            return await FinishAsync(job, refusal, clock.UtcNow(), cancellationToken);
        }

        var startedAt = clock.UtcNow();
        if (PublisherFor(job) is not { } publisher)
        {
            return await FinishAsync(job, NoPublisher(job), startedAt, cancellationToken);
        }

        if (!await queue.MarkPublishStartedAsync(job, startedAt, cancellationToken))
        {
            return LeaseLostFor(job);
        }

        PublishOutcome outcome;
        try
        {
            outcome = await publisher.PublishAsync(request.Request!, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A publisher bug, not an answer from the platform: logged in full, then treated as "may have gone out".
            LogPublisherFault(logger, ex, job.PostId, job.Platform.ToString());
            outcome = new PublishOutcome.Unknown($"The publisher failed: {ex.Message}");
        }

        if (outcome is PublishOutcome.Unknown or PublishOutcome.Duplicate)
        {
            var reconciled = await ReconcileAsync(publisher, request.Request!, startedAt, outcome, cancellationToken);
            if (reconciled is null)
            {
                return ReconcilePending;
            }

            outcome = reconciled;
        }

        return await FinishAsync(job, outcome, startedAt, cancellationToken);
    }

    /// <summary>
    /// Takes up a job whose worker died: if the platform call had started, the post may be live, so the platform is
    /// asked first; found means published, not found means the attempt counts and the post goes back to the queue.
    /// </summary>
    public async Task<string> RecoverAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var request = await PrepareAsync(job, cancellationToken);
        if (request is null)
        {
            return LeaseLostFor(job);
        }

        if (request.Refusal is { } refusal)
        {
            return await FinishAsync(job, refusal, job.ClaimedAt, cancellationToken);
        }

        var now = clock.UtcNow();
        if (job.PublishStartedAt is not { } startedAt)
        {
            return await FinishAsync(
                job,
                new PublishOutcome.Transient("The worker stopped before publishing (lease expired); requeued."),
                job.ClaimedAt,
                cancellationToken,
                retryAt: now,
                recovered: true);
        }

        if (PublisherFor(job) is not { } publisher)
        {
            return await FinishAsync(job, NoPublisher(job), startedAt, cancellationToken);
        }

        var outcome = await ReconcileAsync(
            publisher, request.Request!, startedAt,
            new PublishOutcome.Unknown("The worker stopped while publishing (lease expired)"), cancellationToken);
        if (outcome is null && now - startedAt > TimeSpan.FromHours(options.Value.ReconcileGiveUpHours))
        {
            outcome = new PublishOutcome.Permanent(
                $"{job.Platform} could not confirm for {options.Value.ReconcileGiveUpHours} h whether this post went live; "
                + "check the account before retrying it.");
        }

        return outcome is null
            ? ReconcilePending
            : await FinishAsync(job, outcome, startedAt, cancellationToken, retryAt: now, recovered: true);
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
            LogReconcileFailed(logger, ex, request.PostId, request.Platform.ToString());
            return null;
        }

        return (existing, answer) switch
        {
            ({ } id, _) => new PublishOutcome.Published(id),
            (null, PublishOutcome.Duplicate duplicate) =>
                new PublishOutcome.Permanent($"{duplicate.Reason} (no matching post was found on the platform)"),
            (null, PublishOutcome.Unknown unknown) =>
                new PublishOutcome.Transient($"{unknown.Reason}; the post is not on the platform, so it is retried."),
            _ => answer,
        };
    }

    private async Task<Prepared?> PrepareAsync(ClaimedJob job, CancellationToken ct)
    {
        var post = await db.Posts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == job.PostId, ct);
        if (post is null || !IsHeld(post, job))
        {
            return null;
        }

        var account = await db.SocialAccounts.AsNoTracking().SingleAsync(a => a.Id == post.SocialAccountId, ct);
        if (!account.IsActive)
        {
            return new Prepared(null, new PublishOutcome.Permanent(
                $"The {account.Platform} account '{account.DisplayName}' is {account.Status.ToString().ToLowerInvariant()}: reconnect it, then retry the post."));
        }

        string accessToken;
        try
        {
            accessToken = tokens.Unprotect(account.AccessTokenEncrypted);
        }
        catch (CryptographicException)
        {
            return new Prepared(null, new PublishOutcome.AuthInvalid(
                "The stored access token can no longer be decrypted (the key ring changed): reconnect the account."));
        }

        return new Prepared(
            new PublishRequest(
                post.Id, account.Id, account.Platform, account.ExternalAccountId, accessToken, post.Content, post.MediaUrls,
                post.Link, job.Attempts, job.LockToken, post.Schedule.PlatformState),
            null);
    }

    private async Task<string> FinishAsync(
        ClaimedJob job, PublishOutcome outcome, DateTimeOffset startedAt, CancellationToken ct, DateTimeOffset? retryAt = null,
        bool recovered = false)
    {
        try
        {
            return await unitOfWork.ExecuteInTransactionAsync(
                async token =>
                {
                    var post = await db.Posts.SingleOrDefaultAsync(p => p.Id == job.PostId, token);
                    if (post is null || !IsHeld(post, job))
                    {
                        return LeaseLostFor(job);
                    }

                    var now = clock.UtcNow();
                    var (result, error, externalId) = await ApplyAsync(post, job, outcome, retryAt, now, token);
                    db.PostAttempts.Add(PostAttempt.Record(
                        post.Id, job.Attempts, worker.Id, startedAt, now, recovered ? Recovered : outcome.Name, error, externalId));
                    return result;
                },
                ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker reclaimed the row between the read and the write: the fence held, nothing was changed.
            return LeaseLostFor(job);
        }
    }

    private async Task<(string Result, string? Error, string? ExternalId)> ApplyAsync(
        Post post, ClaimedJob job, PublishOutcome outcome, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        switch (outcome)
        {
            case PublishOutcome.Published published:
                post.MarkPublished(job.LockToken, published.ExternalPostId, now);
                return ("published", null, published.ExternalPostId);

            case PublishOutcome.Transient transient:
                var delay = Backoff.Delay(
                    job.Attempts, TimeSpan.FromSeconds(settings.BackoffBaseSeconds), TimeSpan.FromSeconds(settings.BackoffCapSeconds),
                    Random.Shared.NextDouble(), transient.RetryAfter);
                var final = post.RecordFailure(job.LockToken, transient.Reason, retryAt ?? now + delay, now);
                return (final ? "failed" : "retried", transient.Reason, null);

            case PublishOutcome.RateLimited limited:
                post.ReturnToQueue(job.LockToken, limited.Until > now ? limited.Until : now, refundAttempt: true, now);
                return ("deferred", limited.Reason, null);

            case PublishOutcome.Permanent permanent:
                post.RecordFailure(job.LockToken, permanent.Reason, null, now);
                if (permanent.PauseAccount)
                {
                    var blocked = await db.SocialAccounts.SingleAsync(a => a.Id == post.SocialAccountId, ct);
                    blocked.Disable(permanent.Reason, now);
                }

                return ("failed", permanent.Reason, null);

            case PublishOutcome.AuthInvalid auth:
                post.RecordFailure(job.LockToken, auth.Reason, null, now);
                var account = await db.SocialAccounts.SingleAsync(a => a.Id == post.SocialAccountId, ct);
                account.RequireReconnect(auth.Reason, now);
                return ("failed", auth.Reason, null);

            default:
                throw new InvalidOperationException($"Outcome {outcome.Name} must be reconciled before it is finished.");
        }
    }

    private IPlatformPublisher? PublisherFor(ClaimedJob job) => publishers.FirstOrDefault(p => p.Platform == job.Platform);

    private static PublishOutcome.Permanent NoPublisher(ClaimedJob job) =>
        new($"{job.Platform} posts cannot be published in this publishing mode yet.");

    private static bool IsHeld(Post post, ClaimedJob job) =>
        post.Schedule.Status == ScheduleStatus.Processing && post.Schedule.LockToken == job.LockToken;

    private string LeaseLostFor(ClaimedJob job)
    {
        LogLeaseLost(logger, job.PostId, worker.Id);
        return LeaseLost;
    }

    private sealed record Prepared(PublishRequest? Request, PublishOutcome? Refusal);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Lease lost on post {PostId} by {WorkerId}: another worker holds the row; nothing was overwritten")]
    private static partial void LogLeaseLost(ILogger logger, Guid postId, string workerId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not ask {Platform} whether post {PostId} is live; the row stays leased and recovery will ask again")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, Guid postId, string platform);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Platform} publisher threw for post {PostId}")]
    private static partial void LogPublisherFault(ILogger logger, Exception exception, Guid postId, string platform);
}
