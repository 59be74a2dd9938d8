using System.Diagnostics;
using System.Net.Http.Headers;

namespace Scheduler.Bench;

/// <summary>Reads timed one request at a time against a node: p50 and p99 of each.</summary>
internal static class TimedReads
{
    private const int Warmup = 10;
    private const int Samples = 100;

    public static async Task<List<(string, double, string)>> MeasureAsync(string name, IEnumerable<(string Label, HttpClient Client, string Path)> reads)
    {
        var figures = new List<(string, double, string)>();
        foreach (var (label, client, path) in reads)
        {
            var times = new double[Samples];
            for (var i = 0; i < Warmup + Samples; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{name}: {path} answered {(int)response.StatusCode}");
                }

                if (i >= Warmup)
                {
                    times[i - Warmup] = watch.Elapsed.TotalMilliseconds;
                }
            }

            Array.Sort(times);
            figures.Add(($"{label} p50", Percentiles.Of(times, 50), "ms"));
            figures.Add(($"{label} p99", Percentiles.Of(times, 99), "ms"));
            Console.WriteLine($"  {label}: p50 {Percentiles.Of(times, 50):0.0} ms, p99 {Percentiles.Of(times, 99):0.0} ms");
        }

        return figures;
    }

    public static HttpClient Client(int port, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
