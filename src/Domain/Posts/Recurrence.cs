using Scheduler.Domain.Common;

namespace Scheduler.Domain.Posts;

public enum RecurrenceFrequency
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// How a recurring post repeats: every <see cref="Interval"/> days, weeks (on <see cref="Days"/>, else the first
/// occurrence's weekday) or months (on the first occurrence's day of the month; months without that day are skipped),
/// ending after <see cref="Count"/> occurrences or on <see cref="Until"/> (a local date, included). Occurrences keep
/// their local time in the series' time zone across daylight-saving changes.
/// </summary>
public sealed record Recurrence
{
    /// <summary>Occurrences one series may have: each is a post of its own.</summary>
    public const int MaxOccurrences = 500;

    public Recurrence(RecurrenceFrequency frequency, int interval = 1, IReadOnlyList<DayOfWeek>? days = null, int? count = null, DateOnly? until = null)
    {
        if (interval is < 1 or > 366)
        {
            throw new DomainException("A recurrence's interval is 1 to 366.");
        }

        if ((count is null) == (until is null))
        {
            throw new DomainException("A recurrence ends after a count of occurrences or on a date: give one of them.");
        }

        if (count is < 1 or > MaxOccurrences)
        {
            throw new DomainException($"A recurrence has 1 to {MaxOccurrences} occurrences.");
        }

        if (days is { Count: > 0 } && frequency != RecurrenceFrequency.Weekly)
        {
            throw new DomainException("Days of the week apply to a weekly recurrence only.");
        }

        Frequency = frequency;
        Interval = interval;
        Days = days ?? [];
        Count = count;
        Until = until;
    }

    public RecurrenceFrequency Frequency { get; }

    public int Interval { get; }

    public IReadOnlyList<DayOfWeek> Days { get; }

    public int? Count { get; }

    public DateOnly? Until { get; }

    /// <summary>
    /// The occurrences from <paramref name="first"/> (a local date and time in <paramref name="zone"/>) as instants;
    /// more than <see cref="MaxOccurrences"/> is refused.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Occurrences(DateOnly first, TimeOnly time, TimeZoneInfo zone)
    {
        var dates = new List<DateOnly>();
        foreach (var date in Dates(first))
        {
            if ((Until is { } until && date > until) || (Count is { } count && dates.Count == count))
            {
                break;
            }

            if (dates.Count == MaxOccurrences)
            {
                throw new DomainException($"This recurrence has more than {MaxOccurrences} occurrences; end it sooner.");
            }

            dates.Add(date);
        }

        return [.. dates.Select(d => LocalTimes.ToUtc(d.ToDateTime(time), zone))];
    }

    private IEnumerable<DateOnly> Dates(DateOnly first)
    {
        switch (Frequency)
        {
            case RecurrenceFrequency.Daily:
                for (var d = first; ; d = d.AddDays(Interval))
                {
                    yield return d;
                }

            case RecurrenceFrequency.Weekly:
                var days = Days.Count > 0 ? Days.ToHashSet() : [first.DayOfWeek];
                var weekStart = first.AddDays(-(((int)first.DayOfWeek + 6) % 7)); // Monday of the first week
                for (var week = weekStart; ; week = week.AddDays(7 * Interval))
                {
                    for (var i = 0; i < 7; i++)
                    {
                        var d = week.AddDays(i);
                        if (d >= first && days.Contains(d.DayOfWeek))
                        {
                            yield return d;
                        }
                    }
                }

            default:
                for (var month = 0; ; month += Interval)
                {
                    var start = new DateOnly(first.Year, first.Month, 1).AddMonths(month);
                    if (first.Day <= DateTime.DaysInMonth(start.Year, start.Month))
                    {
                        yield return new DateOnly(start.Year, start.Month, first.Day);
                    }
                }
        }
    }
}

/// <summary>Local times as instants, by the rules every scheduled time follows.</summary>
public static class LocalTimes
{
    /// <summary>
    /// <paramref name="local"/> in <paramref name="zone"/> as an instant: a time in a daylight-saving gap moves to the
    /// first minute after it; a time that happens twice is its first occurrence.
    /// </summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
