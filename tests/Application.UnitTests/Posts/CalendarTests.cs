using Scheduler.Application.Posts.GetCalendar;

namespace Scheduler.Application.UnitTests.Posts;

public sealed class CalendarTests
{
    private static readonly GetCalendarQueryValidator Validator = new();

    [Fact]
    public void LocalDays_AreShortAndLongAcrossDaylightSavingChanges()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        Assert.Equal(new DateTimeOffset(2030, 3, 30, 23, 0, 0, TimeSpan.Zero), LocalDays.StartUtc(new DateOnly(2030, 3, 31), paris));
        Assert.Equal(TimeSpan.FromHours(23), LocalDays.StartUtc(new DateOnly(2030, 4, 1), paris) - LocalDays.StartUtc(new DateOnly(2030, 3, 31), paris));
        Assert.Equal(TimeSpan.FromHours(25), LocalDays.StartUtc(new DateOnly(2030, 10, 28), paris) - LocalDays.StartUtc(new DateOnly(2030, 10, 27), paris));
        Assert.Equal(TimeSpan.FromHours(23), LocalDays.StartUtc(new DateOnly(2030, 3, 11), newYork) - LocalDays.StartUtc(new DateOnly(2030, 3, 10), newYork));
        Assert.Equal(TimeSpan.FromHours(25), LocalDays.StartUtc(new DateOnly(2030, 11, 4), newYork) - LocalDays.StartUtc(new DateOnly(2030, 11, 3), newYork));
    }

    [Fact]
    public void LocalDays_WhereMidnightDoesNotExist_StartAtTheFirstLocalTimeThatDoes()
    {
        // Chile moves its clocks forward at midnight: on 2030-09-08 local time goes from 23:59:59 straight to 01:00.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var start = LocalDays.StartUtc(new DateOnly(2030, 9, 8), santiago);

        Assert.True(santiago.IsInvalidTime(new DateTime(2030, 9, 8, 0, 0, 0)));
        Assert.Equal(new DateTime(2030, 9, 8, 1, 0, 0), TimeZoneInfo.ConvertTime(start, santiago).DateTime);
    }

    public static TheoryData<string, GetCalendarQuery, string> BadQueries() => new()
    {
        { "from", new GetCalendarQuery("01/12/2030", "2030-12-31", "Europe/Paris"), "yyyy-MM-dd" },
        { "to", new GetCalendarQuery("2030-12-01", "2030-11-30", "Europe/Paris"), "on or after from" },
        { "to", new GetCalendarQuery("2030-01-01", "2030-03-04", "Europe/Paris"), "at most 62 days" },
        { "timeZone", new GetCalendarQuery("2030-12-01", "2030-12-31", "Europe/Atlantis"), "not a known IANA" },
        { "timeZone", new GetCalendarQuery("2030-12-01", "2030-12-31", ""), "must not be empty" },
        { "perDay", new GetCalendarQuery("2030-12-01", "2030-12-31", "UTC", PerDay: 0), "between 1 and 100" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public void Validate_ABadField_IsRefusedOnThatField(string field, GetCalendarQuery query, string message)
    {
        var error = Assert.Single(Validator.Validate(query).Errors);
        Assert.Equal(field, error.PropertyName, StringComparer.OrdinalIgnoreCase);
        Assert.Contains(message, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AMonthInAZone_Passes() =>
        Assert.True(Validator.Validate(new GetCalendarQuery("2030-12-01", "2030-12-31", "Asia/Tokyo", PerDay: 50)).IsValid);
}
