using System.Collections.Concurrent;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Dispatching.Alerts;

/// <summary>
/// Alerts once per platform and setting when a platform refuses posts because of Scheduler's configuration (every post
/// of that platform would raise the same alert otherwise); a later publish on that platform re-arms it.
/// </summary>
public sealed class MisconfigurationAlerts(IAlertOutbox alerts, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(Platform Platform, string Setting), bool> _raised = new();

    public async Task ObserveAsync(Platform platform, PublishOutcome? outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case PublishOutcome.Misconfigured misconfigured when _raised.TryAdd((platform, misconfigured.Setting), true):
                await alerts.EnqueueAsync(
                    new PlatformMisconfiguredAlert(platform, misconfigured.Setting, misconfigured.Reason, clock.GetUtcNow()),
                    cancellationToken);
                break;
            case PublishOutcome.Published when !_raised.IsEmpty:
                foreach (var key in _raised.Keys.Where(k => k.Platform == platform))
                {
                    _raised.TryRemove(key, out _);
                }

                break;
        }
    }
}
