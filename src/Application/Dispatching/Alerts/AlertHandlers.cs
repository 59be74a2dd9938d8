using Mediator;
using Scheduler.Domain.Posts.Events;
using Scheduler.Domain.SocialAccounts.Events;

namespace Scheduler.Application.Dispatching.Alerts;

/// <summary>Final failures and accounts needing reconnection become alerts once their change is committed.</summary>
public sealed class AlertHandlers(IAlertSink alerts)
    : INotificationHandler<PostFailedEvent>, INotificationHandler<SocialAccountNeedsReconnectEvent>
{
    public async ValueTask Handle(PostFailedEvent notification, CancellationToken cancellationToken) =>
        await alerts.PostFailedAsync(
            new PostFailedAlert(notification.PostId, notification.CompanyId, notification.Reason, notification.OccurredAt),
            cancellationToken);

    public async ValueTask Handle(SocialAccountNeedsReconnectEvent notification, CancellationToken cancellationToken) =>
        await alerts.AccountNeedsReconnectAsync(
            new AccountNeedsReconnectAlert(
                notification.AccountId, notification.CompanyId, notification.Platform, notification.Reason, notification.OccurredAt),
            cancellationToken);
}
