using Scheduler.Domain.Common;

namespace Scheduler.Domain.SocialAccounts.Events;

public sealed record SocialAccountConnectedEvent(Guid AccountId, Guid CompanyId, Platform Platform, DateTimeOffset OccurredAt)
    : IDomainEvent;

public sealed record SocialAccountNeedsReconnectEvent(
    Guid AccountId, Guid CompanyId, Platform Platform, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SocialAccountTokenExpiringEvent(
    Guid AccountId, Guid CompanyId, Platform Platform, DateTimeOffset ExpiresAt, DateTimeOffset OccurredAt) : IDomainEvent;
