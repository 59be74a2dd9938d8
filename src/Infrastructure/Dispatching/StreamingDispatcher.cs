using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Metrics;
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
    WorkerActivity activity,
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
        var running = new InFlight();
        var recovered = 0;
        var claimed = 0;
        var lastTakeOver = DateTimeOffset.MinValue;

        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = leases.RunAsync(renewing.Token);
        try
        {
            while (true)
            {
                // Read before the claim: if nothing was in flight, every finish is committed and the claim saw it.
                var idle = running.Count == 0;
                var started = 0;
                if (clock.GetUtcNow() < deadline)
                {
                    if (clock.GetUtcNow() - lastTakeOver >= TakeOverInterval && limits.FreeSlots > 0)
                    {
                        lastTakeOver = clock.GetUtcNow();
                        IReadOnlyList<ClaimedJob> expired;
                        ActivityContext takeOver;
                        using (var span = StartClaimSpan(SchedulerTracing.TakeOver))
                        {
                            expired = await queue.TakeOverExpiredAsync(worker.Id, limits.FreeSlots, settings.Lease, ct);
                            span?.SetTag(SchedulerTracing.CountTag, expired.Count);
                            takeOver = span?.Context ?? default;
                        }

                        recovered += expired.Count;
                        started += Start(expired, takenOver: true, takeOver, running, tally, ct);
                    }

                    var want = Math.Min(limits.FreeSlots, settings.ClaimBatchSize);
                    if (want > 0)
                    {
                        IReadOnlyList<ClaimedJob> due;
                        ActivityContext claim;
                        using (var span = StartClaimSpan(SchedulerTracing.Claim))
                        {
                            due = await queue.ClaimDueAsync(
                                new ClaimRequest(worker.Id, want, settings.Lease, limits.BusyAccounts, settings.MaxInFlightPerAccount),
                                ct);
                            span?.SetTag(SchedulerTracing.CountTag, due.Count);
                            claim = span?.Context ?? default;
                        }

                        claimed += due.Count;
                        started += Start(due, takenOver: false, claim, running, tally, ct);
                        if (due.Count == want && limits.FreeSlots > 0)
                        {
                            continue; // a full claim: more may be due now
                        }
                    }
                }

                if (idle && started == 0)
                {
                    break;
                }

                // Claim again as soon as a slot or an account frees up, or to notice rows that fell due meanwhile.
                await running.WaitForOneAsync(BusyPoll, clock, ct);
            }
        }
        finally
        {
            // What this run started is finished (or given up) before its leases stop being renewed.
            await running.WaitForAllAsync();
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

    private int Start(IReadOnlyList<ClaimedJob> jobs, bool takenOver, ActivityContext claim, InFlight running, Tally tally, CancellationToken ct)
    {
        foreach (var job in jobs)
        {
            var permit = takenOver ? limits.TryAcquireSlot(job.SocialAccountId) : limits.TryAcquire(job);
            if (permit is not null)
            {
                running.Add(RunJobAsync(job, takenOver, permit, claim, running, tally, ct));
            }
            else if (!takenOver)
            {
                running.Add(DeferAsync(job, tally));
            }

            // A taken-over row without a slot (the claim asked for no more than the free slots, so this does not
            // happen) is never requeued unasked: it stays leased and is taken over again, reconciled first.
        }

        return jobs.Count;
    }

    private async Task RunJobAsync(
        ClaimedJob job, bool takenOver, PublishLimits.Permit permit, ActivityContext claim, InFlight running, Tally tally, CancellationToken ct)
    {
        // Each dispatch is its own trace (a run holds thousands), linked to the claim that took the row.
        Activity.Current = null;
        using var dispatch = SchedulerTracing.Source.StartActivity(
            SchedulerTracing.Dispatch,
            ActivityKind.Internal,
            default(ActivityContext),
            [
                new(SchedulerTracing.PostIdTag, job.PostId.ToString()),
                new(SchedulerTracing.PlatformTag, Domain.Common.EnumNames.Of(job.Platform)),
                new(SchedulerTracing.AttemptTag, job.Attempts), // counted by the claim
                new(SchedulerTracing.TakenOverTag, takenOver),
                new(SchedulerTracing.WorkerTag, worker.Id),
            ],
            claim == default ? null : [new ActivityLink(claim)]);
        try
        {
            using (permit)
            using (var held = leases.Track(job))
            {
                JobVerdict verdict;
                using (var work = CancellationTokenSource.CreateLinkedTokenSource(ct, held.Lost))
                using (var publish = SchedulerTracing.Source.StartActivity(SchedulerTracing.Publish))
                {
                    try
                    {
                        verdict = takenOver
                            ? await attempt.RecoverAsync(job, work.Token)
                            : await attempt.PublishAsync(job, work.Token);
                        publish?.SetTag(SchedulerTracing.OutcomeTag, verdict.Outcome?.GetType().Name ?? "NotLive");
                    }
                    catch (Exception ex) when (ex is LeaseLostException
                                               || (ex is OperationCanceledException && held.Lost.IsCancellationRequested))
                    {
                        tally.Add(DispatchResult.LeaseLost);
                        dispatch?.SetTag(SchedulerTracing.OutcomeTag, Outcome(DispatchResult.LeaseLost));
                        return;
                    }
                }

                // A published post frees its account at once; any other outcome holds the account until the finish is
                // written, so its next post sees what this one learned (a revoked token, a paused account, a quota).
                if (verdict.Outcome is PublishOutcome.Published)
                {
                    permit.EndCall();
                    running.Signal(); // the account can take its next post now
                }

                DispatchResult result;
                using (SchedulerTracing.Source.StartActivity(SchedulerTracing.Finish))
                {
                    result = await finishes.FinishAsync(verdict);
                }

                tally.Add(result);
                if (result == DispatchResult.Published)
                {
                    activity.CountPublished();
                }

                dispatch?.SetTag(SchedulerTracing.OutcomeTag, Outcome(result));
                if (result == DispatchResult.Failed)
                {
                    dispatch?.SetStatus(ActivityStatusCode.Error, verdict.Outcome?.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The node is stopping: the row stays leased and another node (or this one, restarted) recovers it.
            dispatch?.SetTag(SchedulerTracing.OutcomeTag, "stopped");
        }
        catch (Exception ex)
        {
            // The row stays leased; recovery asks the platform before anything else.
            dispatch?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            LogJobFault(logger, ex, job.PostId);
        }
    }

    private static string Outcome(DispatchResult result) => Domain.Common.EnumNames.Of(result);

    private Activity? StartClaimSpan(string name)
    {
        var span = SchedulerTracing.Source.StartActivity(name);
        span?.SetTag(SchedulerTracing.WorkerTag, worker.Id);
        return span;
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

    /// <summary>
    /// The run's publishes in flight: a count, and a signal each time one ends or frees its account (no per-task
    /// bookkeeping).
    /// </summary>
    private sealed class InFlight
    {
        private TaskCompletionSource _ended = NewSignal();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(Task job)
        {
            Interlocked.Increment(ref _count);
            _ = ObserveAsync(job);
        }

        /// <summary>Returns when a publish ends, or after <paramref name="timeout"/>; ends seen together count once.</summary>
        public async Task WaitForOneAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
        {
            var ended = Volatile.Read(ref _ended).Task;
            if (Count > 0)
            {
                await Task.WhenAny(ended, Task.Delay(timeout, clock, ct));
            }
        }

        public async Task WaitForAllAsync()
        {
            while (true)
            {
                var ended = Volatile.Read(ref _ended).Task;
                if (Count == 0)
                {
                    return;
                }

                await ended;
            }
        }

        /// <summary>Wakes the loop without a publish ending (an account was freed).</summary>
        public void Signal() => Interlocked.Exchange(ref _ended, NewSignal()).TrySetResult();

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task ObserveAsync(Task job)
        {
            try
            {
                await job;
            }
            finally
            {
                Interlocked.Decrement(ref _count);
                Signal();
            }
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
