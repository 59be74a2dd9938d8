using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts.Events;

public sealed record PostRetriedEvent(Guid PostId, Guid CompanyId, DateTimeOffset RunAt, DateTimeOffset OccurredAt) : IDomainEvent;
