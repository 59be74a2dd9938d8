using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts.Events;

public sealed record PostPublishedEvent(Guid PostId, Guid CompanyId, string ExternalPostId, DateTimeOffset OccurredAt) : IDomainEvent;
