using Scheduler.Application.Posts.Quotas;

namespace Scheduler.Application.UnitTests.Posts;

public sealed class PublishingQuotaTests
{
    private static readonly DateTimeOffset At = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Busiest_IsTheFullest24HoursThatHoldTheNewPost()
    {
        // Windows are [start, start + 24 h): from 23 h before, four posts (the one an hour after is out); from 1 h before, three.
        DateTimeOffset[] times = [At.AddHours(-23), At.AddHours(-22), At.AddHours(-1), At, At.AddHours(1), At.AddHours(25)];

        Assert.Equal((At.AddHours(-23), 4), PublishingQuota.Busiest(times, At));
        Assert.Equal((At.AddHours(-1), 3), PublishingQuota.Busiest([At.AddHours(-1), At, At.AddHours(1), At.AddHours(25)], At));
    }

    [Fact]
    public void Busiest_IgnoresWindowsThatDoNotHoldTheNewPost()
    {
        // Five posts a day before: a full window, but not one the new post is in.
        DateTimeOffset[] times = [.. Enumerable.Range(0, 5).Select(i => At.AddHours(-30 + i)), At];

        Assert.Equal((At, 1), PublishingQuota.Busiest(times, At));
    }

    [Fact]
    public void Busiest_CountsAPostExactly24HoursLaterInTheNextWindow()
    {
        DateTimeOffset[] times = [At, At.AddHours(24)];

        Assert.Equal(1, PublishingQuota.Busiest(times, At).Count);
        Assert.Equal(2, PublishingQuota.Busiest([At, At.AddHours(24).AddTicks(-10)], At).Count);
    }
}
