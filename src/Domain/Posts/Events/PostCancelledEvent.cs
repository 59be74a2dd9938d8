using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts.Events;

public sealed record PostCancelledEvent(Guid PostId, Guid CompanyId, DateTimeOffset OccurredAt) : IDomainEvent;
