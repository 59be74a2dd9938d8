using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Dispatching.Alerts;

/// <summary>
/// Where operators hear about what needs a human: a post that failed for good, an account to reconnect, a setting to fix.
/// </summary>
public interface IAlertSink
{
    Task PostFailedAsync(PostFailedAlert alert, CancellationToken cancellationToken);

    Task AccountNeedsReconnectAsync(AccountNeedsReconnectAlert alert, CancellationToken cancellationToken);

    /// <summary>An account's token expires soon and cannot be renewed here: someone must reconnect it in time.</summary>
    Task AccountTokenExpiringAsync(AccountTokenExpiringAlert alert, CancellationToken cancellationToken);

    /// <summary>A platform refuses every post because of Scheduler's own configuration (e.g. a retired API version).</summary>
    Task PlatformMisconfiguredAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken);

    /// <summary>A post went live but its first comment did not: someone may want to comment by hand.</summary>
    Task FirstCommentFailedAsync(FirstCommentFailedAlert alert, CancellationToken cancellationToken);
}

public sealed record PostFailedAlert(Guid PostId, Guid CompanyId, string Reason, DateTimeOffset At);

public sealed record AccountNeedsReconnectAlert(Guid AccountId, Guid CompanyId, Platform Platform, string Reason, DateTimeOffset At);

public sealed record AccountTokenExpiringAlert(Guid AccountId, Guid CompanyId, Platform Platform, DateTimeOffset ExpiresAt, DateTimeOffset At);

public sealed record FirstCommentFailedAlert(
    Guid PostId, Guid CompanyId, Platform Platform, string ExternalPostId, string Reason, DateTimeOffset At);

public sealed record PlatformMisconfiguredAlert(Platform Platform, string Setting, string Reason, DateTimeOffset At);

/// <summary>Where alerts raised outside a unit of work are written, to be delivered like the others.</summary>
public interface IAlertOutbox
{
    Task EnqueueAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken);
}
