using Scheduler.Domain.Common;

namespace Scheduler.Domain.SocialAccounts;

/// <summary>One posting time: a local time on some days of the week.</summary>
public sealed record PostingSlot(IReadOnlyList<DayOfWeek> Days, TimeOnly Time);

/// <summary>
/// An account's posting times in its IANA time zone (its queue): "next slot" scheduling takes the first of these not
/// already taken. A local time that does not exist on a day (clocks going forward) is the first minute after the gap;
/// one that happens twice (clocks going back) is its first occurrence — the same rules as a runAt with a time zone.
/// </summary>
public sealed record PostingSlots
{
    public const int MaxSlots = 100;

    public PostingSlots(string timeZone, IReadOnlyList<PostingSlot> slots)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            throw new DomainException($"'{timeZone}' is not a known IANA time zone.");
        }

        if (slots.Count is 0 or > MaxSlots || slots.Any(s => s.Days.Count == 0))
        {
            throw new DomainException($"Posting slots: 1 to {MaxSlots}, each on at least one day.");
        }

        TimeZone = timeZone;
        Slots = slots;
        Zone = zone;
    }

    public string TimeZone { get; }

    public IReadOnlyList<PostingSlot> Slots { get; }

    private TimeZoneInfo Zone { get; }

    /// <summary>The slot times after <paramref name="after"/>, in order, for up to <paramref name="days"/> days.</summary>
    public IEnumerable<DateTimeOffset> Upcoming(DateTimeOffset after, int days = 366)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, Zone).DateTime);
        for (var d = 0; d <= days; d++)
        {
            var day = today.AddDays(d);
            var times = Slots.Where(s => s.Days.Contains(day.DayOfWeek)).Select(s => s.Time).Distinct().Order();
            foreach (var time in times)
            {
                var at = ToUtc(day.ToDateTime(time));
                if (at > after)
                {
                    yield return at;
                }
            }
        }
    }

    private DateTimeOffset ToUtc(DateTime local) => Posts.LocalTimes.ToUtc(local, Zone);
}
