using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts.Events;

public sealed record PostFailedEvent(Guid PostId, Guid CompanyId, Platform Platform, string Reason, DateTimeOffset OccurredAt)
    : IDomainEvent;
