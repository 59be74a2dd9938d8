using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts.Events;

/// <summary>A post found too late to publish (past the cutoff after <paramref name="RunAt"/>), so not sent.</summary>
public sealed record PostMissedEvent(Guid PostId, Guid CompanyId, Platform Platform, string Reason, DateTimeOffset RunAt, DateTimeOffset OccurredAt)
    : IDomainEvent;
