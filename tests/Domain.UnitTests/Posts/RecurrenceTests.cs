using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;

namespace Scheduler.Domain.UnitTests.Posts;

public sealed class RecurrenceTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2030, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Weekly_KeepsTheLocalTime_WhenParisSpringsForward_AndFallsBack()
    {
        var weekly = new Recurrence(RecurrenceFrequency.Weekly, count: 3);

        Assert.Equal([Utc(3, 18, 8), Utc(3, 25, 8), Utc(4, 1, 7)], weekly.Occurrences(new DateOnly(2030, 3, 18), new TimeOnly(9, 0), Paris));
        Assert.Equal([Utc(10, 21, 7), Utc(10, 28, 8), Utc(11, 4, 8)], weekly.Occurrences(new DateOnly(2030, 10, 21), new TimeOnly(9, 0), Paris));
    }

    [Fact]
    public void Daily_KeepsTheLocalTime_AcrossBothNewYorkChanges()
    {
        var daily = new Recurrence(RecurrenceFrequency.Daily, count: 3);

        Assert.Equal([Utc(3, 9, 13), Utc(3, 10, 12), Utc(3, 11, 12)], daily.Occurrences(new DateOnly(2030, 3, 9), new TimeOnly(8, 0), NewYork));
        Assert.Equal([Utc(11, 2, 12), Utc(11, 3, 13), Utc(11, 4, 13)], daily.Occurrences(new DateOnly(2030, 11, 2), new TimeOnly(8, 0), NewYork));
    }

    [Fact]
    public void AnOccurrenceInTheGap_MovesToTheFirstMinuteAfterIt_OneInTheRepeatedHourIsTheFirst()
    {
        var daily = new Recurrence(RecurrenceFrequency.Daily, count: 2);

        // 02:30 does not exist in Paris on 2030-03-31 (02:00 → 03:00): 03:00 CEST.
        Assert.Equal([Utc(3, 30, 1, 30), Utc(3, 31, 1)], daily.Occurrences(new DateOnly(2030, 3, 30), new TimeOnly(2, 30), Paris));
        // 02:30 happens twice on 2030-10-27: the first, still in summer time (00:30 UTC).
        Assert.Equal(Utc(10, 27, 0, 30), daily.Occurrences(new DateOnly(2030, 10, 26), new TimeOnly(2, 30), Paris)[1]);
    }

    [Fact]
    public void Monthly_OnThe31st_SkipsShorterMonths_AndWeeklyDaysFollowTheInterval()
    {
        var monthly = new Recurrence(RecurrenceFrequency.Monthly, count: 3);
        Assert.Equal(
            [new DateOnly(2030, 1, 31), new DateOnly(2030, 3, 31), new DateOnly(2030, 5, 31)],
            monthly.Occurrences(new DateOnly(2030, 1, 31), new TimeOnly(12, 0), TimeZoneInfo.Utc).Select(o => DateOnly.FromDateTime(o.UtcDateTime)));

        // Every other week on Monday and Thursday, from Thursday 2030-01-03, until Monday 2030-01-28 included.
        var fortnightly = new Recurrence(RecurrenceFrequency.Weekly, 2, [DayOfWeek.Monday, DayOfWeek.Thursday], until: new DateOnly(2030, 1, 28));
        Assert.Equal(
            [new DateOnly(2030, 1, 3), new DateOnly(2030, 1, 14), new DateOnly(2030, 1, 17), new DateOnly(2030, 1, 28)],
            fortnightly.Occurrences(new DateOnly(2030, 1, 3), new TimeOnly(12, 0), TimeZoneInfo.Utc).Select(o => DateOnly.FromDateTime(o.UtcDateTime)));
    }

    [Fact]
    public void ARecurrence_EndsOneWay_AndHasABoundedNumberOfOccurrences()
    {
        Assert.Throws<DomainException>(() => new Recurrence(RecurrenceFrequency.Daily));
        Assert.Throws<DomainException>(() => new Recurrence(RecurrenceFrequency.Daily, count: 2, until: new DateOnly(2030, 1, 1)));
        Assert.Throws<DomainException>(() => new Recurrence(RecurrenceFrequency.Daily, count: 501));
        Assert.Throws<DomainException>(() => new Recurrence(RecurrenceFrequency.Daily, days: [DayOfWeek.Monday], count: 2));
        var tooLong = new Recurrence(RecurrenceFrequency.Daily, until: new DateOnly(2032, 1, 1));
        Assert.Throws<DomainException>(() => tooLong.Occurrences(new DateOnly(2030, 1, 1), new TimeOnly(9, 0), Paris));
    }
}
