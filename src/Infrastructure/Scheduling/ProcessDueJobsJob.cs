using Mediator;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Dispatching.ProcessDueJobs;

namespace Scheduler.Infrastructure.Scheduling;

/// <summary>
/// The dispatcher's tick: sends <see cref="ProcessDueJobsCommand"/>, then sets a one-shot wake-up at the earliest
/// pending run_at (or sooner, to notice rows another node scheduled), so posts leave on time, not at the next minute.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ProcessDueJobsJob(
    ISender sender, IDispatchSignal signal, TimeProvider clock, IOptions<DispatcherOptions> options) : IJob
{
    public static readonly JobKey Key = new("process-due-jobs", "scheduler");

    /// <summary>The regular tick (<c>Dispatcher:Cron</c>, Quartz syntax: seconds minutes hours day month weekday).</summary>
    public const string DefaultCron = "0 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var idle = TimeSpan.FromSeconds(options.Value.IdlePollSeconds);
        DateTimeOffset? next = null;
        try
        {
            var result = await sender.Send(new ProcessDueJobsCommand(), cancellationToken);
            next = result.NextDueAt;
        }
        finally
        {
            // Also after a failed run (the database away, say): look again soon rather than at the next cron tick.
            var poll = idle > TimeSpan.Zero ? clock.GetUtcNow() + idle : (DateTimeOffset?)null;
            var wake = next is { } due && (poll is null || due < poll) ? due : poll;
            if (wake is { } at && !cancellationToken.IsCancellationRequested)
            {
                await signal.WakeAtAsync(at, cancellationToken);
            }
        }
    }
}
