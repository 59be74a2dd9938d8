using Mediator;
using Scheduler.Application.Common.Behaviours;

namespace Scheduler.Application.Dispatching.ProcessDueJobs;

/// <summary>
/// Wakes this node's dispatcher: it takes over expired leases and claims due rows as publishing slots free up, until
/// nothing is due (or the run's time budget is spent), then reports. It manages its own short transactions.
/// </summary>
public sealed record ProcessDueJobsCommand : ICommand<ProcessDueJobsResult>, IManagesOwnTransactions;

public sealed record ProcessDueJobsResult(
    int Recovered, int Claimed, int Published, int Retried, int Deferred, int Failed, int LeaseLost, DateTimeOffset? NextDueAt)
{
    public int Finished => Published + Retried + Deferred + Failed;
}

/// <summary>The node's streaming dispatch loop: one run at a time per node.</summary>
public interface IDispatcher
{
    Task<ProcessDueJobsResult> RunAsync(CancellationToken cancellationToken);
}

public sealed class ProcessDueJobsCommandHandler(IDispatcher dispatcher) : ICommandHandler<ProcessDueJobsCommand, ProcessDueJobsResult>
{
    public async ValueTask<ProcessDueJobsResult> Handle(ProcessDueJobsCommand command, CancellationToken cancellationToken) =>
        await dispatcher.RunAsync(cancellationToken);
}
