using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.UnitTests.SocialAccounts;

public sealed class PostingSlotsTests
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    [Fact]
    public void Upcoming_GivesTheSlotsInOrder_InTheAccountsZone()
    {
        var slots = new PostingSlots("Europe/Paris", [new PostingSlot(Weekdays, new TimeOnly(17, 0)), new PostingSlot(Weekdays, new TimeOnly(9, 0))]);
        // Friday 2030-01-04 12:00 Paris (11:00 UTC): Friday 17:00, then Monday 09:00 and 17:00.
        var after = new DateTimeOffset(2030, 1, 4, 11, 0, 0, TimeSpan.Zero);

        Assert.Equal(
            [new DateTimeOffset(2030, 1, 4, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 7, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 7, 16, 0, 0, TimeSpan.Zero)],
            slots.Upcoming(after).Take(3));
    }

    [Fact]
    public void Upcoming_KeepsTheLocalTimeAcrossDaylightSaving_AndMovesASlotInTheGap()
    {
        var paris = new PostingSlots("Europe/Paris", [new PostingSlot([DayOfWeek.Saturday, DayOfWeek.Sunday], new TimeOnly(2, 30))]);
        var times = paris.Upcoming(new DateTimeOffset(2030, 3, 29, 0, 0, 0, TimeSpan.Zero)).Take(2).ToList();

        // Saturday 02:30 CET is 01:30 UTC; on Sunday the clocks jump from 02:00 to 03:00: the slot is 03:00 CEST, 01:00 UTC.
        Assert.Equal([new DateTimeOffset(2030, 3, 30, 1, 30, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 31, 1, 0, 0, TimeSpan.Zero)], times);

        var newYork = new PostingSlots("America/New_York", [new PostingSlot([DayOfWeek.Sunday], new TimeOnly(1, 30))]);
        // 2030-11-03 01:30 happens twice in New York: the first, in daylight time (05:30 UTC).
        Assert.Equal(new DateTimeOffset(2030, 11, 3, 5, 30, 0, TimeSpan.Zero), newYork.Upcoming(new DateTimeOffset(2030, 11, 1, 0, 0, 0, TimeSpan.Zero)).First());
    }

    [Fact]
    public void Slots_NeedAKnownZone_AndDays()
    {
        Assert.Throws<DomainException>(() => new PostingSlots("Mars/Olympus", [new PostingSlot(Weekdays, new TimeOnly(9, 0))]));
        Assert.Throws<DomainException>(() => new PostingSlots("UTC", [new PostingSlot([], new TimeOnly(9, 0))]));
        Assert.Throws<DomainException>(() => new PostingSlots("UTC", []));
    }
}
