using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts.Events;

public sealed record PostFailedEvent(Guid PostId, Guid CompanyId, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;
