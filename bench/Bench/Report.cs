using System.Globalization;
using System.Text;

namespace Scheduler.Bench;

/// <summary>The run's table (with ratios) in docs/benchmarks.md between markers, and a bar chart beside it.</summary>
internal sealed class Report(string mode, IReadOnlyList<Result> results, string server)
{
    public const string Begin = "<!-- bench:begin -->";
    public const string End = "<!-- bench:end -->";

    public string Table()
    {
        var text = new StringBuilder();
        var warmth = Program.Cold
            ? "worker processes measured cold (no warm-up)."
            : $"each worker process drains {Dispatch.WarmUpPosts:N0} posts before the measured ones (at a platform latency, what its accounts publish in ≈ 2 s); an api node is warmed 8 s at two connections per route.";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`build/bench.sh {mode}` on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {server}; {warmth}");
        text.AppendLine();
        text.AppendLine("| Scenario | What | Figures |");
        text.AppendLine("|---|---|---|");
        foreach (var result in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Name} | {result.Description} | {result.Summary} |");
        }

        var ratios = Ratios().ToList();
        if (ratios.Count > 0)
        {
            text.AppendLine();
            foreach (var ratio in ratios)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {ratio}");
            }
        }

        return text.ToString();
    }

    public void WriteInto(string markdown, string chart)
    {
        var block = $"{Begin}\n{Table()}\n![Throughput by scenario]({Path.GetFileName(chart)})\n{End}";
        var existing = File.Exists(markdown) ? File.ReadAllText(markdown) : "# Benchmarks\n\n";
        var start = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = start >= 0 && end > start
            ? existing[..start] + block + existing[(end + End.Length)..]
            : existing.TrimEnd() + "\n\n## Latest run\n\n" + block + "\n";
        File.WriteAllText(markdown, updated);
        File.WriteAllText(chart, Svg());
    }

    private IEnumerable<string> Ratios()
    {
        foreach (var drain in results.Where(r => r.Name.StartsWith("drain-", StringComparison.Ordinal)))
        {
            var flushPerCommit = drain.Name.EndsWith("-flush1", StringComparison.Ordinal);
            if (results.FirstOrDefault(r => r.Name == (flushPerCommit ? "raw-flush1" : "raw")) is { } raw)
            {
                yield return $"{drain.Name}: {drain["posts/s"] / raw["rows/s"] * 100:0.0} % of the raw SQL limit measured with the same setting ({raw.Name})";
            }
        }

        var peer = results.FirstOrDefault(r => r.Name == "peer-quartz");
        var ours = results.FirstOrDefault(r => r.Name == "drain-1");
        if (peer is not null && ours is not null)
        {
            yield return $"drain-1 is {ours["posts/s"] / peer["posts/s"]:0.0}× the Quartz-trigger-per-post peer (peer-quartz)";
        }

        var original = results.FirstOrDefault(r => r.Name == "peer-original");
        if (original is not null && ours is not null)
        {
            yield return $"drain-1 is {ours["posts/s"] / original["posts/s"]:0.0}× the original design run 600× faster than its real cadence, "
                         + $"and {ours["posts/s"] * 60 / OriginalDesign.PerTick:#,0}× the original design as configured (5 posts a minute)";
        }
    }

    /// <summary>Horizontal bars of each scenario's throughput (rows, posts or requests per second), log-free and plain.</summary>
    private string Svg()
    {
        var bars = results
            .Select(r => (r.Name, Value: r.Figures.FirstOrDefault(f => f.Unit.EndsWith("/s", StringComparison.Ordinal))))
            .Where(b => b.Value.Unit is not null)
            .ToList();
        const int rowHeight = 26, left = 150, width = 460;
        var max = bars.Count == 0 ? 1 : bars.Max(b => b.Value.Value);
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 130}" height="{(bars.Count * rowHeight) + 40}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine("""  <text x="8" y="18" font-weight="bold">Throughput per scenario (build/bench.sh)</text>""");
        for (var i = 0; i < bars.Count; i++)
        {
            var (name, (_, value, unit)) = bars[i];
            var y = 30 + (i * rowHeight);
            var w = Math.Max(1, value / max * width);
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="8" y="{y + 15}">{name}</text>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <rect x="{left}" y="{y}" width="{w:0.0}" height="{rowHeight - 6}" fill="#4a7bd0"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{left + w + 6:0.0}" y="{y + 15}">{Result.Format(value, unit)}</text>""");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
