using System.Globalization;
using System.Text.RegularExpressions;

namespace Scheduler.Application.Common.Scheduling;

/// <summary>
/// Turns the <c>runAt</c> a caller gives into a UTC instant: either an ISO-8601 time with an offset
/// (<c>2026-12-01T09:00:00+01:00</c>, <c>…Z</c>), or a local time (<c>2026-12-01T09:00</c>) plus an IANA
/// <c>timeZone</c>. A local time without a zone, a time inside a daylight-saving gap and an unknown zone are refused.
/// An ambiguous local time (the hour repeated when clocks go back) is taken at its first occurrence.
/// Results are truncated to microseconds, the precision the database keeps.
/// </summary>
public static partial class RunAtResolver
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    public static bool TryResolve(string? runAt, string? timeZone, out DateTimeOffset utc, out string error)
    {
        utc = default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(runAt))
        {
            error = "runAt is required.";
            return false;
        }

        var text = runAt.Trim();
        TimeZoneInfo? zone = null;
        if (!string.IsNullOrWhiteSpace(timeZone) && !TryFindZone(timeZone.Trim(), out zone))
        {
            error = $"timeZone '{timeZone}' is not a known IANA time zone (for example Europe/Paris).";
            return false;
        }

        if (HasOffset().IsMatch(text))
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                error = $"runAt '{runAt}' is not an ISO-8601 date and time.";
                return false;
            }

            utc = Truncate(withOffset.ToUniversalTime());
            return true;
        }

        if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"runAt '{runAt}' is not an ISO-8601 date and time.";
            return false;
        }

        if (zone is null)
        {
            error = "runAt has no UTC offset: give one (for example 2026-12-01T09:00:00+01:00) or add a timeZone.";
            return false;
        }

        if (zone.IsInvalidTime(local))
        {
            error = $"runAt {text} does not exist in {zone.Id}: the clocks skip that hour (daylight-saving gap).";
            return false;
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        utc = Truncate(new DateTimeOffset(local, offset).ToUniversalTime());
        return true;
    }

    public static DateTimeOffset Resolve(string? runAt, string? timeZone) =>
        TryResolve(runAt, timeZone, out var utc, out var error) ? utc : throw new FormatException(error);

    public static bool IsKnownZone(string timeZone) => TryFindZone(timeZone, out _);

    /// <summary>True when <paramref name="runAt"/> names its UTC offset (<c>Z</c>, <c>+01:00</c>), as opposed to a local time.</summary>
    public static bool CarriesOffset(string? runAt) => !string.IsNullOrWhiteSpace(runAt) && HasOffset().IsMatch(runAt.Trim());

    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static bool TryFindZone(string id, out TimeZoneInfo? zone)
    {
        zone = null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            return false;
        }

        zone = found;
        return true;
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HasOffset();
}
