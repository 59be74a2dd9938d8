using System.Text;

namespace Scheduler.Infrastructure.Platforms.LinkedIn;

/// <summary>LinkedIn's "little text" for <c>commentary</c>: reserved characters are escaped with a backslash.</summary>
public static class LittleText
{
    private const string Reserved = @"\|{}@[]()<>#*_~";

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (Reserved.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
