using Mediator;

namespace Scheduler.Domain.Common;

/// <summary>Something that happened in the domain; published after the change is committed.</summary>
public interface IDomainEvent : INotification
{
    DateTimeOffset OccurredAt { get; }
}
