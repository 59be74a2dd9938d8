using System.Globalization;

namespace Scheduler.Infrastructure.Platforms.Meta;

/// <summary>Graph API timestamps: <c>2026-04-06T17:50:09+0000</c> (no colon in the offset), or ISO 8601.</summary>
public static class GraphTime
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // "+0000" → "+00:00", the form .NET parses.
        var normalized = text.Length > 5 && text[^5] is '+' or '-' && char.IsDigit(text[^1]) ? text[..^2] + ":" + text[^2..] : text;
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
