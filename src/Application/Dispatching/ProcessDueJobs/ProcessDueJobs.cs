using System.Collections.Concurrent;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Behaviours;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Dispatching.ProcessDueJobs;

/// <summary>
/// One run of the dispatcher: recover expired leases, then claim and publish batch after batch until nothing is due
/// or the run's time budget is spent. It manages its own short transactions.
/// </summary>
public sealed record ProcessDueJobsCommand : ICommand<ProcessDueJobsResult>, IManagesOwnTransactions;

public sealed record ProcessDueJobsResult(
    int Recovered, int Claimed, int Published, int Retried, int Deferred, int Failed, int LeaseLost, DateTimeOffset? NextDueAt)
{
    public int Finished => Published + Retried + Deferred + Failed;
}

public sealed partial class ProcessDueJobsCommandHandler(
    IJobQueue queue,
    IServiceScopeFactory scopes,
    WorkerIdentity worker,
    TimeProvider clock,
    IOptions<DispatcherOptions> options,
    ILogger<ProcessDueJobsCommandHandler> logger) : ICommandHandler<ProcessDueJobsCommand, ProcessDueJobsResult>
{
    public async ValueTask<ProcessDueJobsResult> Handle(ProcessDueJobsCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(settings.RunBudgetSeconds);
        var tally = new ConcurrentDictionary<string, int>();
        using var limits = new Limits(settings);

        var recovered = 0;
        while (clock.GetUtcNow() < deadline)
        {
            var expired = await queue.ReclaimExpiredAsync(worker.Id, settings.BatchSize, settings.Lease, cancellationToken);
            recovered += expired.Count;
            await RunAllAsync(expired, limits, tally, recover: true, cancellationToken);
            if (expired.Count < settings.BatchSize)
            {
                break;
            }
        }

        var claimed = 0;
        while (clock.GetUtcNow() < deadline)
        {
            var due = await queue.ClaimDueAsync(worker.Id, settings.BatchSize, settings.Lease, cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            claimed += due.Count;
            await RunAllAsync(due, limits, tally, recover: false, cancellationToken);
        }

        var result = new ProcessDueJobsResult(
            recovered, claimed, Count("published"), Count("retried"), Count("deferred"), Count("failed"),
            Count(JobRunner.LeaseLost), await queue.NextDueAtAsync(cancellationToken));
        await queue.HeartbeatAsync(worker.Id, recovered + claimed, result.Published, cancellationToken);
        if (recovered + claimed > 0)
        {
            LogRun(logger, worker.Id, recovered, claimed, result.Published, result.Retried, result.Deferred, result.Failed, result.LeaseLost);
        }

        return result;

        int Count(string key) => tally.GetValueOrDefault(key);
    }

    private async Task RunAllAsync(
        IReadOnlyList<ClaimedJob> jobs, Limits limits, ConcurrentDictionary<string, int> tally, bool recover, CancellationToken ct)
    {
        await Task.WhenAll(jobs.Select(async job =>
        {
            using var permit = await limits.AcquireAsync(job, ct);
            await using var scope = scopes.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<JobRunner>();
            var result = recover ? await runner.RecoverAsync(job, ct) : await runner.PublishAsync(job, ct);
            tally.AddOrUpdate(result, 1, (_, n) => n + 1);
        }));
    }

    /// <summary>Bounded concurrency for one run: overall, per platform and per account.</summary>
    private sealed class Limits(DispatcherOptions settings) : IDisposable
    {
        private readonly SemaphoreSlim _overall = new(settings.MaxConcurrency);
        private readonly ConcurrentDictionary<Platform, SemaphoreSlim> _platforms = new();
        private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _accounts = new();

        public async Task<IDisposable> AcquireAsync(ClaimedJob job, CancellationToken ct)
        {
            var account = _accounts.GetOrAdd(job.SocialAccountId, _ => new SemaphoreSlim(settings.MaxConcurrencyPerAccount));
            var platform = _platforms.GetOrAdd(job.Platform, _ => new SemaphoreSlim(settings.MaxConcurrencyPerPlatform));
            var held = new List<SemaphoreSlim>(3);
            try
            {
                foreach (var gate in new[] { account, platform, _overall })
                {
                    await gate.WaitAsync(ct);
                    held.Add(gate);
                }
            }
            catch
            {
                held.ForEach(g => g.Release());
                throw;
            }

            return new Permit(held);
        }

        public void Dispose()
        {
            _overall.Dispose();
            foreach (var gate in _platforms.Values.Concat(_accounts.Values))
            {
                gate.Dispose();
            }
        }

        private sealed class Permit(List<SemaphoreSlim> held) : IDisposable
        {
            public void Dispose()
            {
                for (var i = held.Count - 1; i >= 0; i--)
                {
                    held[i].Release();
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dispatcher {WorkerId}: recovered {Recovered}, claimed {Claimed}; published {Published}, retried {Retried}, deferred {Deferred}, failed {Failed}, lease lost {LeaseLost}")]
    private static partial void LogRun(
        ILogger logger, string workerId, int recovered, int claimed, int published, int retried, int deferred, int failed, int leaseLost);
}
