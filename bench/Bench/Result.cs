using System.Globalization;

namespace Scheduler.Bench;

/// <summary>A scenario: what it measures, and how.</summary>
internal sealed record Scenario(string Name, string Description, Func<Task<Result>> Run);

/// <summary>What one scenario measured.</summary>
internal sealed record Result(string Name, string Description, IReadOnlyList<(string Metric, double Value, string Unit)> Figures)
{
    public double this[string metric] => Figures.First(f => f.Metric == metric).Value;

    public bool Has(string metric) => Figures.Any(f => f.Metric == metric);

    public string Summary => string.Join(", ", Figures.Select(f => $"{f.Metric} {Format(f.Value, f.Unit)}"));

    public static string Format(double value, string unit) => unit switch
    {
        "s" => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s",
        "ms" => value.ToString(value < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms",
        "%" => value.ToString("0.0", CultureInfo.InvariantCulture) + " %",
        "x" => value.ToString("0.0", CultureInfo.InvariantCulture) + "×",
        _ => value.ToString("#,0", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : string.Empty),
    };
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Of(double[] sorted, double percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
