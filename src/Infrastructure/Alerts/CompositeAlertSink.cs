using Scheduler.Application.Dispatching.Alerts;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>Every alert goes to each configured sink: the log always, the webhook when configured.</summary>
public sealed class CompositeAlertSink(IReadOnlyList<IAlertSink> sinks) : IAlertSink
{
    public async Task PostFailedAsync(PostFailedAlert alert, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            await sink.PostFailedAsync(alert, cancellationToken);
        }
    }

    public async Task AccountNeedsReconnectAsync(AccountNeedsReconnectAlert alert, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            await sink.AccountNeedsReconnectAsync(alert, cancellationToken);
        }
    }

    public async Task PlatformMisconfiguredAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            await sink.PlatformMisconfiguredAsync(alert, cancellationToken);
        }
    }
}
