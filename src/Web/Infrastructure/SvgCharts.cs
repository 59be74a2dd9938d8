using System.Globalization;
using System.Security;
using System.Text;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Queue.GetQueueCharts;

namespace Scheduler.Web.Infrastructure;

/// <summary>
/// The dashboard's charts drawn on the server as SVG (no script library, no CDN): per-minute throughput, queue depth and
/// lateness from the rollups. A minute without a rollup is a gap in the line.
/// </summary>
public static class SvgCharts
{
    public const string ContentType = "image/svg+xml; charset=utf-8";

    private const int Width = 560;
    private const int Height = 210;
    private const int Left = 52;
    private const int Right = 12;
    private const int Top = 34;
    private const int Bottom = 26;

    public static IReadOnlyList<string> Names { get; } = ["throughput", "depth", "lateness"];

    public static string? Draw(string chart, QueueChartsDto data) => chart switch
    {
        "throughput" => Lines("Posts per minute", data, Count, [
            ("published", "#067647", m => m.Published), ("failed", "#b42318", m => m.Failed), ("retried", "#dc6803", m => m.Retried)]),
        "depth" => Lines("Queue depth", data, Count, [
            ("due", "#b42318", m => m.Due), ("pending later", "#2f5bd3", m => m.PendingFuture), ("processing", "#7a5af8", m => m.Processing)]),
        "lateness" => Lines("Lateness", data, Seconds, [
            ("p50", "#067647", m => m.LatenessP50Ms / 1000), ("p95", "#dc6803", m => m.LatenessP95Ms / 1000), ("p99", "#b42318", m => m.LatenessP99Ms / 1000)]),
        _ => null,
    };

    private static string Count(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Seconds(double value) => Durations.Human(TimeSpan.FromSeconds(value));

    private static string Lines(
        string title, QueueChartsDto data, Func<double, string> format, (string Name, string Color, Func<QueueMinute, double?> Value)[] series)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var span = Math.Max(1, (data.To - data.From).TotalSeconds);
        var max = Math.Max(1, data.Minutes.SelectMany(m => series.Select(s => s.Value(m) ?? 0)).DefaultIfEmpty(0).Max());
        double X(DateTimeOffset at) => Left + (plotWidth * Math.Clamp((at - data.From).TotalSeconds / span, 0, 1));
        double Y(double value) => Top + plotHeight - (plotHeight * value / max);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}" role="img" aria-label="{Escape(title)}" font-family="system-ui, sans-serif" font-size="11">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="14" font-size="13" font-weight="600" fill="#1d2430">{Escape(title)}</text>""");
        var legendX = Left + 150;
        foreach (var (name, color, _) in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{legendX}" y="6" width="10" height="10" fill="{color}"/><text x="{legendX + 14}" y="15" fill="#475467">{Escape(name)}</text>""");
            legendX += 24 + (name.Length * 6);
        }

        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Y(max * fraction);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{y:0.#}" y2="{y:0.#}" stroke="#e6e9ef"/><text x="{Left - 6}" y="{y + 4:0.#}" text-anchor="end" fill="#5b6577">{Escape(format(max * fraction))}</text>""");
        }

        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var at = data.From + ((data.To - data.From) * fraction);
            var anchor = fraction switch { 0.0 => "start", 1.0 => "end", _ => "middle" };
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{X(at):0.#}" y="{Height - 8}" text-anchor="{anchor}" fill="#5b6577">{at.UtcDateTime:HH:mm} UTC</text>""");
        }

        foreach (var (name, color, value) in series)
        {
            // One polyline per run of consecutive minutes that have a value.
            var run = new List<string>();
            DateTimeOffset? previous = null;
            foreach (var minute in data.Minutes)
            {
                if (value(minute) is not { } v || (previous is { } p && minute.Minute - p > TimeSpan.FromMinutes(1)))
                {
                    Flush(svg, run, color, name);
                }

                if (value(minute) is { } point)
                {
                    run.Add(string.Create(CultureInfo.InvariantCulture, $"{X(minute.Minute):0.#},{Y(point):0.#}"));
                }

                previous = minute.Minute;
            }

            Flush(svg, run, color, name);
        }

        if (data.Minutes.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + (plotWidth / 2)}" y="{Top + (plotHeight / 2)}" text-anchor="middle" fill="#5b6577">No minutes rolled up yet (a worker writes one each minute)</text>""");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Flush(StringBuilder svg, List<string> run, string color, string name)
    {
        if (run.Count == 1)
        {
            var xy = run[0].Split(',');
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{xy[0]}" cy="{xy[1]}" r="2" fill="{color}"><title>{Escape(name)}</title></circle>""");
        }
        else if (run.Count > 1)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{string.Join(' ', run)}"><title>{Escape(name)}</title></polyline>""");
        }

        run.Clear();
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
