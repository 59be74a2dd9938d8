using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts.Events;

/// <summary>A post went live but its first comment did not: the post stays published; someone may comment by hand.</summary>
public sealed record FirstCommentFailedEvent(
    Guid PostId, Guid CompanyId, Platform Platform, string ExternalPostId, string Reason, DateTimeOffset OccurredAt)
    : IDomainEvent;
