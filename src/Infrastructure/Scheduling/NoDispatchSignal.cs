using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Scheduling;

/// <summary>On a node without the worker role there is no dispatcher to wake; workers poll (Dispatcher:IdlePollSeconds).</summary>
public sealed class NoDispatchSignal : IDispatchSignal
{
    public Task WakeAtAsync(DateTimeOffset dueAt, CancellationToken cancellationToken) => Task.CompletedTask;
}
