using System.Globalization;

namespace Scheduler.Application.Common.Scheduling;

/// <summary>Durations as people read them: <c>0.8 s</c>, <c>42 s</c>, <c>3 min</c>, <c>2 h 5 min</c>, <c>3 d</c>.</summary>
public static class Durations
{
    public static string Human(TimeSpan duration)
    {
        var d = duration.Duration();
        return d.TotalSeconds < 10 ? string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.#} s")
            : d.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0} s")
            : d.TotalMinutes < 60 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(d.TotalMinutes):0} min")
            : d.TotalHours < 24 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(d.TotalHours):0} h{(d.Minutes > 0 ? $" {d.Minutes} min" : string.Empty)}")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(d.TotalDays):0} d{(d.Hours > 0 ? $" {d.Hours} h" : string.Empty)}");
    }
}
