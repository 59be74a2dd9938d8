using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Dispatching.ProcessDueJobs;

namespace Scheduler.Infrastructure.Dispatching;

/// <summary>
/// The node's dispatch loop. It claims only as many rows as it has free publishing slots (nothing claimed waits),
/// passes over accounts already busy here, starts each publish at once, and claims again as slots free up — no batch
/// barrier. While publishes are in flight their leases are renewed; finishes are written in batches. A run ends when
/// nothing is due and nothing is in flight (or its time budget is spent and what it holds is finished).
/// </summary>
public sealed partial class StreamingDispatcher(
    IJobQueue queue,
    IWorkerRegistry workers,
    PublishAttempt attempt,
    FinishPipeline finishes,
    LeaseKeeper leases,
    PublishLimits limits,
    WorkerIdentity worker,
    TimeProvider clock,
    IOptions<DispatcherOptions> options,
    ILogger<StreamingDispatcher> logger) : IDispatcher, IDisposable
{
    /// <summary>While publishes are in flight, look for newly due rows at least this often.</summary>
    public static readonly TimeSpan BusyPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Expired leases are looked for this often during a run (and at its start).</summary>
    public static readonly TimeSpan TakeOverInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a row that got no permit on this node waits before it is due again.</summary>
    public static readonly TimeSpan NoPermitDelay = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    public async Task<ProcessDueJobsResult> RunAsync(CancellationToken cancellationToken)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            return await RunOnceAsync(cancellationToken);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    public void Dispose() => _oneRun.Dispose();

    private async Task<ProcessDueJobsResult> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var tally = new Tally();
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(settings.RunBudgetSeconds);
        var running = new HashSet<Task>();
        var recovered = 0;
        var claimed = 0;
        var lastTakeOver = DateTimeOffset.MinValue;

        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = leases.RunAsync(renewing.Token);
        try
        {
            while (true)
            {
                // Settled before the claim: if nothing was in flight, every finish is committed and the claim saw it.
                running.RemoveWhere(t => t.IsCompleted);
                var idle = running.Count == 0;
                var started = 0;
                if (clock.GetUtcNow() < deadline)
                {
                    if (clock.GetUtcNow() - lastTakeOver >= TakeOverInterval && limits.FreeSlots > 0)
                    {
                        lastTakeOver = clock.GetUtcNow();
                        var expired = await queue.TakeOverExpiredAsync(worker.Id, limits.FreeSlots, settings.Lease, ct);
                        recovered += expired.Count;
                        started += Start(expired, takenOver: true, running, tally, ct);
                    }

                    if (limits.FreeSlots > 0)
                    {
                        var due = await queue.ClaimDueAsync(
                            new ClaimRequest(worker.Id, limits.FreeSlots, settings.Lease, limits.BusyAccounts, settings.MaxInFlightPerAccount),
                            ct);
                        claimed += due.Count;
                        started += Start(due, takenOver: false, running, tally, ct);
                    }
                }

                if (idle && started == 0)
                {
                    break;
                }

                running.RemoveWhere(t => t.IsCompleted);
                if (running.Count == 0)
                {
                    continue;
                }

                // Claim again as soon as a slot frees up, or to notice rows that fell due meanwhile.
                await Task.WhenAny(Task.WhenAny(running), Task.Delay(BusyPoll, clock, ct));
            }
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }

        var result = new ProcessDueJobsResult(
            recovered, claimed, tally[DispatchResult.Published], tally[DispatchResult.Retried],
            tally[DispatchResult.Deferred] + tally[DispatchResult.Requeued], tally[DispatchResult.Failed],
            tally[DispatchResult.LeaseLost], await queue.NextDueAtAsync(ct));
        await workers.HeartbeatAsync(worker.Id, recovered + claimed, result.Published, ct);
        if (recovered + claimed > 0)
        {
            LogRun(logger, worker.Id, recovered, claimed, result.Published, result.Retried, result.Deferred, result.Failed, result.LeaseLost);
        }

        return result;
    }

    private int Start(IReadOnlyList<ClaimedJob> jobs, bool takenOver, HashSet<Task> running, Tally tally, CancellationToken ct)
    {
        foreach (var job in jobs)
        {
            var permit = takenOver ? limits.TryAcquireSlot(job.SocialAccountId) : limits.TryAcquire(job);
            running.Add(permit is null ? DeferAsync(job, tally) : RunJobAsync(job, takenOver, permit, tally, ct));
        }

        return jobs.Count;
    }

    private async Task RunJobAsync(ClaimedJob job, bool takenOver, PublishLimits.Permit permit, Tally tally, CancellationToken ct)
    {
        try
        {
            using (permit)
            using (var held = leases.Track(job))
            {
                JobVerdict verdict;
                using (var work = CancellationTokenSource.CreateLinkedTokenSource(ct, held.Lost))
                {
                    try
                    {
                        verdict = takenOver
                            ? await attempt.RecoverAsync(job, work.Token)
                            : await attempt.PublishAsync(job, work.Token);
                    }
                    catch (Exception ex) when (ex is LeaseLostException
                                               || (ex is OperationCanceledException && held.Lost.IsCancellationRequested))
                    {
                        tally.Add(DispatchResult.LeaseLost);
                        return;
                    }
                }

                // The account's permit is held until the finish is written, so its next post sees this one's
                // outcome (a revoked token, a paused account) before it is published.
                tally.Add(await finishes.FinishAsync(verdict));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The node is stopping: the row stays leased and another node (or this one, restarted) recovers it.
        }
        catch (Exception ex)
        {
            // The row stays leased; recovery asks the platform before anything else.
            LogJobFault(logger, ex, job.PostId);
        }
    }

    /// <summary>No permit here (a platform's call rate, or a race for an account): back to the queue, no attempt spent.</summary>
    private async Task DeferAsync(ClaimedJob job, Tally tally)
    {
        try
        {
            var verdict = new JobVerdict(
                job,
                new PublishOutcome.RateLimited("No publishing permit on this node (a platform call rate); requeued.", clock.GetUtcNow() + NoPermitDelay),
                clock.GetUtcNow()) { CalledPlatform = false };
            tally.Add(await finishes.FinishAsync(verdict));
        }
        catch (Exception ex)
        {
            LogJobFault(logger, ex, job.PostId);
        }
    }

    /// <summary>Counts per result, shared by the run's publishes.</summary>
    private sealed class Tally
    {
        private readonly int[] _counts = new int[Enum.GetValues<DispatchResult>().Length];

        public int this[DispatchResult result] => Volatile.Read(ref _counts[(int)result]);

        public void Add(DispatchResult result) => Interlocked.Increment(ref _counts[(int)result]);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dispatcher {WorkerId}: recovered {Recovered}, claimed {Claimed}; published {Published}, retried {Retried}, deferred {Deferred}, failed {Failed}, lease lost {LeaseLost}")]
    private static partial void LogRun(
        ILogger logger, string workerId, int recovered, int claimed, int published, int retried, int deferred, int failed, int leaseLost);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing post {PostId} failed in the dispatcher; its row is left to recovery")]
    private static partial void LogJobFault(ILogger logger, Exception exception, Guid postId);
}
