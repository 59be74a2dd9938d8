using Mediator;
using Scheduler.Domain.Posts.Events;

namespace Scheduler.Application.Dispatching;

/// <summary>A post that became due earlier than the next tick wakes the dispatcher at its time.</summary>
public sealed class WakeDispatcherHandlers(IDispatchSignal signal)
    : INotificationHandler<PostScheduledEvent>, INotificationHandler<PostRescheduledEvent>, INotificationHandler<PostRetriedEvent>
{
    public async ValueTask Handle(PostScheduledEvent notification, CancellationToken cancellationToken) =>
        await signal.WakeAtAsync(notification.RunAt, cancellationToken);

    public async ValueTask Handle(PostRescheduledEvent notification, CancellationToken cancellationToken) =>
        await signal.WakeAtAsync(notification.RunAt, cancellationToken);

    public async ValueTask Handle(PostRetriedEvent notification, CancellationToken cancellationToken) =>
        await signal.WakeAtAsync(notification.RunAt, cancellationToken);
}
