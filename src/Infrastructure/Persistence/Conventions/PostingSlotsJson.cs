using System.Globalization;
using System.Text.Json;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary><c>social_accounts.posting_slots</c>: <c>{"timeZone":"Europe/Paris","slots":[{"days":[1,3],"time":"09:30"}]}</c> (days: 0 = Sunday).</summary>
public static class PostingSlotsJson
{
    public static string Serialize(PostingSlots slots) => JsonSerializer.Serialize(new Stored(
        slots.TimeZone, [.. slots.Slots.Select(s => new StoredSlot([.. s.Days.Select(d => (int)d)], s.Time.ToString("HH:mm", CultureInfo.InvariantCulture)))]));

    public static PostingSlots Deserialize(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json)!;
        return new PostingSlots(stored.TimeZone, [.. stored.Slots.Select(s => new PostingSlot(
            [.. s.Days.Select(d => (DayOfWeek)d)], TimeOnly.ParseExact(s.Time, "HH:mm", CultureInfo.InvariantCulture)))]);
    }

    private sealed record Stored(string TimeZone, StoredSlot[] Slots);

    private sealed record StoredSlot(int[] Days, string Time);
}
