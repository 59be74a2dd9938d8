using Scheduler.Application.Common.Scheduling;

namespace Scheduler.Application.UnitTests.Common;

public sealed class RunAtResolverTests
{
    [Theory]
    [InlineData("2027-01-05T09:30:00+01:00", null, "2027-01-05T08:30:00Z")]
    [InlineData("2027-01-05T09:30:00Z", null, "2027-01-05T09:30:00Z")]
    [InlineData("2027-01-05T09:30:00.123456789-05:00", null, "2027-01-05T14:30:00.1234567Z")]
    [InlineData("2027-01-05T09:30:00+0100", "America/New_York", "2027-01-05T08:30:00Z")]
    [InlineData("2027-01-05T09:30", "Europe/Paris", "2027-01-05T08:30:00Z")]
    [InlineData("2027-07-05T09:30:00", "Europe/Paris", "2027-07-05T07:30:00Z")]
    [InlineData("2027-07-05 09:30", "America/New_York", "2027-07-05T13:30:00Z")]
    public void TryResolve_GivesTheUtcInstant(string runAt, string? zone, string expectedUtc)
    {
        Assert.True(RunAtResolver.TryResolve(runAt, zone, out var utc, out var error), error);
        var expected = RunAtResolver.Truncate(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, utc);
        Assert.Equal(TimeSpan.Zero, utc.Offset);
        Assert.Equal(0, utc.UtcTicks % 10);
    }

    [Theory]
    [InlineData(null, null, "required")]
    [InlineData("", null, "required")]
    [InlineData("2027-01-05T09:30", null, "no UTC offset")]
    [InlineData("tomorrow", null, "not an ISO-8601")]
    [InlineData("2027-13-05T09:30", "Europe/Paris", "not an ISO-8601")]
    [InlineData("2027-01-05T09:30", "Mars/Olympus", "not a known IANA")]
    [InlineData("2027-03-28T02:30", "Europe/Paris", "daylight-saving gap")]
    [InlineData("2027-03-14T02:15", "America/New_York", "daylight-saving gap")]
    public void TryResolve_RefusesWithAClearMessage(string? runAt, string? zone, string expected)
    {
        Assert.False(RunAtResolver.TryResolve(runAt, zone, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_AmbiguousLocalTime_TakesTheFirstOccurrence()
    {
        // 02:30 happens twice in Paris on 2027-10-31: first at +02:00 (00:30Z), then at +01:00 (01:30Z).
        Assert.True(RunAtResolver.TryResolve("2027-10-31T02:30", "Europe/Paris", out var utc, out _));
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), utc);
    }
}
