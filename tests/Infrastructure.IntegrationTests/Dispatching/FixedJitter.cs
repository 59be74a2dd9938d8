using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

/// <summary>Backoff jitter pinned to one value, so a test knows exactly when a retry falls due.</summary>
public sealed class FixedJitter(double value) : IJitter
{
    public double Sample() => value;
}
