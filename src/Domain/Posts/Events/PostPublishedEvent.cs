using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts.Events;

public sealed record PostPublishedEvent(
    Guid PostId, Guid CompanyId, Platform Platform, string ExternalPostId, DateTimeOffset RunAt, DateTimeOffset OccurredAt)
    : IDomainEvent;
