namespace Scheduler.Application.Dispatching;

/// <summary>Wakes this node's dispatcher at a time earlier than its next tick, so posts leave on time.</summary>
public interface IDispatchSignal
{
    Task WakeAtAsync(DateTimeOffset dueAt, CancellationToken cancellationToken);
}
