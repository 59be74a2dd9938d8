using Scheduler.Application.Dispatching;

namespace Scheduler.Application.UnitTests.Dispatching;

public sealed class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(5, 480)]
    [InlineData(6, 600)]
    [InlineData(40, 600)]
    public void Delay_CeilingDoublesPerAttemptUpToTheCap(int attempt, double ceilingSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds), Backoff.Delay(attempt, Base, Cap, random: 1.0));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.999)]
    public void Delay_IsFullJitterBelowTheCeiling(double random)
    {
        var delay = Backoff.Delay(3, Base, Cap, random);
        Assert.Equal(TimeSpan.FromSeconds(120 * random), delay);
    }

    [Fact]
    public void Delay_NeverShorterThanRetryAfter_ButALongerBackoffWins()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Backoff.Delay(1, Base, Cap, 0.1, retryAfter: TimeSpan.FromSeconds(90)));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(1, Base, Cap, 1.0, retryAfter: TimeSpan.FromSeconds(5)));
    }
}
