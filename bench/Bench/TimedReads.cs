using System.Globalization;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Scheduler.Bench;

/// <summary>
/// Reads timed one request at a time against a node: p50 and p99 of each. Every read is first sent
/// <see cref="WarmupRounds"/> times, the reads taking turns, so that the node's JIT has compiled the hot paths at
/// their final tier before anything is timed (a node that serves a dashboard runs for days: the figure wanted is its
/// steady state, not its first minute).
/// </summary>
internal static class TimedReads
{
    private const int WarmupRounds = 60;
    private const int Samples = 200;

    public static async Task<List<(string, double, string)>> MeasureAsync(string name, IEnumerable<(string Label, HttpClient Client, string Path)> reads)
    {
        var all = reads.ToList();
        for (var round = 0; round < WarmupRounds; round++)
        {
            foreach (var (_, client, path) in all)
            {
                await TimeAsync(name, client, path);
            }
        }

        // Tier-1 code is compiled in the background after a method's 30th call: let it land before timing.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var figures = new List<(string, double, string)>();
        foreach (var (label, client, path) in all)
        {
            var times = new double[Samples];
            for (var i = 0; i < Samples; i++)
            {
                times[i] = await TimeAsync(name, client, path);
            }

            Array.Sort(times);
            figures.Add(($"{label} p50", Percentiles.Of(times, 50), "ms"));
            figures.Add(($"{label} p99", Percentiles.Of(times, 99), "ms"));
            Console.WriteLine(
                $"  {label}: p50 {Percentiles.Of(times, 50):0.0} ms, p99 {Percentiles.Of(times, 99):0.0} ms (slowest {string.Join(", ", times.TakeLast(3).Select(t => t.ToString("0", CultureInfo.InvariantCulture)))})");
        }

        return figures;
    }

    private static async Task<double> TimeAsync(string name, HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        return response.IsSuccessStatusCode
            ? watch.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"{name}: {path} answered {(int)response.StatusCode}");
    }

    public static HttpClient Client(int port, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
