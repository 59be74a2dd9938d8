using Scheduler.Application.Dispatching.Alerts;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>No webhook configured: alerts go to the log only (written by the outbox sender on their first attempt).</summary>
public sealed class NoRemoteAlertSink : IAlertSink
{
    public Task PostFailedAsync(PostFailedAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AccountNeedsReconnectAsync(AccountNeedsReconnectAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AccountTokenExpiringAsync(AccountTokenExpiringAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PlatformMisconfiguredAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task FirstCommentFailedAsync(FirstCommentFailedAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;
}
