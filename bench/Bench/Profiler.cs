using System.Diagnostics;

namespace Scheduler.Bench;

/// <summary>
/// <c>--profile scenario</c>: samples the first worker of that scenario with dotnet-trace (a local tool) while it
/// drains, and writes a speedscope file next to the docs; <c>dotnet-trace report</c> summarises it.
/// </summary>
internal static class Profiler
{
    public static string? Scenario { get; set; }

    public static async Task<IDisposable?> StartIfAskedAsync(string scenario, Node node, DateTimeOffset dueAt)
    {
        if (Scenario != scenario || node.ProcessId is not { } pid)
        {
            return null;
        }

        if (dueAt > DateTimeOffset.UtcNow)
        {
            await Task.Delay(dueAt - DateTimeOffset.UtcNow);
        }

        var output = Path.Combine(Path.GetTempPath(), $"scheduler-{scenario}.nettrace");
        var info = new ProcessStartInfo("dotnet", ["dotnet-trace", "collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", output, "--duration", "00:00:00:08"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            WorkingDirectory = Program.Root,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        Console.WriteLine($"bench:   profiling {scenario} into {output}");
        return new Stop(process);
    }

    private sealed class Stop(Process process) : IDisposable
    {
        public void Dispose()
        {
            process.WaitForExit(30_000);
            process.Dispose();
        }
    }
}
