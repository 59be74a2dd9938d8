using Mediator;
using Microsoft.Extensions.Logging;
using Scheduler.Domain.Common;

namespace Scheduler.Application.Common.Events;

/// <summary>Writes every committed domain event to the log: an audit trail of what happened to posts and accounts.</summary>
public sealed partial class DomainEventLogger<TEvent>(ILogger<DomainEventLogger<TEvent>> logger)
    : INotificationHandler<TEvent>
    where TEvent : IDomainEvent
{
    public ValueTask Handle(TEvent notification, CancellationToken cancellationToken)
    {
        var name = typeof(TEvent).Name;
        LogEvent(logger, name, notification);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain event {EventName}: {@Event}")]
    private static partial void LogEvent(ILogger logger, string eventName, TEvent @event);
}
