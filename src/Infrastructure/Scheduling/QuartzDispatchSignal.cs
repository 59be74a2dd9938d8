using Quartz;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Scheduling;

/// <summary>
/// Keeps one one-shot trigger for the dispatcher job at the earliest time asked for. An earlier wake-up already set
/// stays; a later request never postpones it.
/// </summary>
public sealed class QuartzDispatchSignal(ISchedulerFactory schedulers, TimeProvider clock) : IDispatchSignal, IDisposable
{
    public static readonly TriggerKey WakeKey = new("wake", "scheduler");

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WakeAtAsync(DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var at = dueAt < clock.GetUtcNow() ? clock.GetUtcNow() : dueAt;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var existing = await scheduler.GetTrigger(WakeKey, cancellationToken);
            if (existing?.NextFireTimeUtc is { } pending && pending <= at)
            {
                return;
            }

            var trigger = TriggerBuilder.Create(clock)
                .WithIdentity(WakeKey)
                .ForJob(ProcessDueJobsJob.Key)
                .StartAt(at)
                .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleJob(trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
