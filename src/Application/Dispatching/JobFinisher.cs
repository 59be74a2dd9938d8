using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Dispatching;

/// <summary>
/// Writes verdicts: a batch of posts is read once, each post's aggregate decides its own transition (fenced by the
/// lock token the claim gave it), and the posts, their queue rows, their attempt log and any account they pause are
/// saved in one transaction. Domain events go out after the commit.
/// </summary>
public sealed class JobFinisher(
    IApplicationDbContext db,
    IUnitOfWork unitOfWork,
    WorkerIdentity worker,
    TimeProvider clock,
    IJitter jitter,
    IOptions<DispatcherOptions> options)
{
    /// <summary>The attempt-log outcome of a row taken over from a worker whose lease expired.</summary>
    public const string Recovered = "recovered";

    /// <summary>
    /// Finishes the verdicts in one transaction. When one row's fence fails between the read and the write (another
    /// worker took it over), the batch is replayed row by row so the others still land.
    /// </summary>
    public async Task<IReadOnlyList<DispatchResult>> FinishAsync(IReadOnlyList<JobVerdict> verdicts, CancellationToken cancellationToken)
    {
        var pending = verdicts.Where(v => v.Outcome is not null).ToList();
        var results = verdicts.ToDictionary(v => v.Job.Hold, _ => DispatchResult.ReconcilePending);
        if (pending.Count == 0)
        {
            return [.. verdicts.Select(v => results[v.Job.Hold])];
        }

        try
        {
            foreach (var (hold, result) in await FinishInOneTransactionAsync(pending, cancellationToken))
            {
                results[hold] = result;
            }
        }
        catch (DbUpdateConcurrencyException) when (pending.Count > 1)
        {
            foreach (var verdict in pending)
            {
                results[verdict.Job.Hold] = (await FinishAsync([verdict], cancellationToken))[0];
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // The fence held: another worker reclaimed the row between the read and the write; nothing was changed.
            results[pending[0].Job.Hold] = DispatchResult.LeaseLost;
        }

        return [.. verdicts.Select(v => results[v.Job.Hold])];
    }

    private Task<List<(LeaseHold, DispatchResult)>> FinishInOneTransactionAsync(List<JobVerdict> verdicts, CancellationToken ct) =>
        unitOfWork.ExecuteInTransactionAsync(
            async token =>
            {
                var ids = verdicts.Select(v => v.Job.PostId).ToList();
                var posts = await db.Posts.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, token);
                var now = clock.UtcNow();
                var results = new List<(LeaseHold, DispatchResult)>(verdicts.Count);
                foreach (var verdict in verdicts)
                {
                    var job = verdict.Job;
                    if (!posts.TryGetValue(job.PostId, out var post) || !post.Schedule.IsHeldBy(job.LockToken))
                    {
                        results.Add((job.Hold, DispatchResult.LeaseLost));
                        continue;
                    }

                    var (result, error, externalId) = await ApplyAsync(post, verdict, now, token);
                    if (verdict.CalledPlatform || verdict.TakenOver)
                    {
                        db.PostAttempts.Add(PostAttempt.Record(
                            post.Id, job.Attempts, worker.Id, verdict.StartedAt, now,
                            verdict.TakenOver ? Recovered : verdict.Outcome!.Name, error, externalId));
                    }

                    results.Add((job.Hold, result));
                }

                return results;
            },
            ct);

    private async Task<(DispatchResult Result, string? Error, string? ExternalId)> ApplyAsync(
        Post post, JobVerdict verdict, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        var job = verdict.Job;
        switch (verdict.Outcome)
        {
            case PublishOutcome.Published published:
                post.MarkPublished(job.LockToken, published.ExternalPostId, now, verdict.FirstComment);
                return (DispatchResult.Published, null, published.ExternalPostId);

            case PublishOutcome.Transient transient when verdict.TakenOver:
                var poisoned = post.ReturnAfterRecovery(job.LockToken, settings.MaxRecoveries, now, now);
                return (poisoned ? DispatchResult.Failed : DispatchResult.Requeued, transient.Reason, null);

            case PublishOutcome.Transient transient:
                var delay = Backoff.Delay(
                    job.Attempts, TimeSpan.FromSeconds(settings.BackoffBaseSeconds), TimeSpan.FromSeconds(settings.BackoffCapSeconds),
                    jitter.Sample(), transient.RetryAfter);
                var final = post.RecordFailure(job.LockToken, transient.Reason, now + delay, now);
                return (final ? DispatchResult.Failed : DispatchResult.Retried, transient.Reason, null);

            case PublishOutcome.RateLimited limited:
                post.ReturnToQueue(job.LockToken, limited.Until > now ? limited.Until : now, refundAttempt: true, now);
                return (DispatchResult.Deferred, limited.Reason, null);

            case PublishOutcome.NotReady notReady:
                post.ReturnToQueue(job.LockToken, notReady.Until > now ? notReady.Until : now, refundAttempt: true, now);
                return (DispatchResult.Deferred, notReady.Reason, null);

            case PublishOutcome.Misconfigured misconfigured:
                post.ReturnToQueue(job.LockToken, misconfigured.Until > now ? misconfigured.Until : now, refundAttempt: true, now);
                return (DispatchResult.Deferred, misconfigured.Reason, null);

            case PublishOutcome.Missed missed:
                post.MarkMissed(job.LockToken, missed.Reason, now);
                return (DispatchResult.Missed, missed.Reason, null);

            case PublishOutcome.Permanent permanent:
                post.RecordFailure(job.LockToken, permanent.Reason, null, now);
                if (permanent.PauseAccount)
                {
                    var blocked = await db.SocialAccounts.SingleAsync(a => a.Id == post.SocialAccountId, ct);
                    blocked.Disable(permanent.Reason, now);
                }

                return (DispatchResult.Failed, permanent.Reason, null);

            case PublishOutcome.AuthInvalid auth:
                post.RecordFailure(job.LockToken, auth.Reason, null, now);
                var account = await db.SocialAccounts.SingleAsync(a => a.Id == post.SocialAccountId, ct);
                account.RequireReconnect(auth.Reason, now);
                return (DispatchResult.Failed, auth.Reason, null);

            default:
                throw new InvalidOperationException($"Outcome {verdict.Outcome?.Name} must be reconciled before it is finished.");
        }
    }
}
