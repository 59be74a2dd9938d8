namespace Scheduler.Application.UnitTests;

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public FixedClock() : this(Default)
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
