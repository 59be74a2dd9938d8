using System.Globalization;
using MySqlConnector;

namespace Scheduler.Bench;

/// <summary>
/// <c>Scheduler.Bench quick|full [--only name,…] [--out docs/benchmarks.md]</c>: runs the benchmark scenarios against
/// the local MariaDB with the Release build of the web host, prints a table, and writes it (with a chart) into the docs.
/// </summary>
internal static class Program
{
    public const string SigningKey = "benchmark-signing-key-0123456789-0123456789";

    public static bool Verbose { get; private set; }

    /// <summary><c>--cold</c>: measure worker processes right after they start, without a warm-up drain.</summary>
    public static bool Cold { get; private set; }

    /// <summary>Settings given with <c>--set Key__Sub=value</c>, passed to every node (to try a setting).</summary>
    public static Dictionary<string, string> NodeSettings { get; } = [];

    public static string Root { get; private set; } = Directory.GetCurrentDirectory();

    public static async Task<int> Main(string[] args)
    {
        var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "quick";
        var only = Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Verbose = args.Contains("--verbose");
        Cold = args.Contains("--cold");
        Profiler.Scenario = Option(args, "--profile");
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--set" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                NodeSettings[key] = value;
            }
        }
        Root = FindRoot();
        var output = Option(args, "--out") ?? Path.Combine(Root, "docs", "benchmarks.md");
        var connectionString = new MySqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("SCHEDULER_BENCH_DB")
            ?? "Server=127.0.0.1;Port=3306;Database=scheduler_bench;User=scheduler;Password=scheduler")
        {
            GuidFormat = MySqlGuidFormat.Binary16,
            MaximumPoolSize = 200,
        }.ConnectionString;
        if (mode is not ("quick" or "full"))
        {
            Console.Error.WriteLine(
                "usage: Scheduler.Bench quick|full [--only scenario,…] [--out file] [--set Key__Sub=value]… [--cold] [--profile scenario] [--verbose]");
            return 2;
        }

        var suite = new Suite(new BenchDatabase(connectionString), full: mode == "full");
        var results = new List<Result>();
        foreach (var scenario in suite.Scenarios())
        {
            if (only is not null && !only.Contains(scenario.Name))
            {
                continue;
            }

            Console.WriteLine($"bench: {scenario.Name} — {scenario.Description}");
            var took = System.Diagnostics.Stopwatch.StartNew();
            var result = await scenario.Run() with { Name = scenario.Name, Description = scenario.Description };
            results.Add(result);
            Console.WriteLine($"bench:   {result.Summary} ({took.Elapsed.TotalSeconds:0} s)");
        }

        var report = new Report(mode, results, await ServerSettingsAsync(connectionString));
        Console.WriteLine(report.Table());
        if (only is null)
        {
            report.WriteInto(output, Path.ChangeExtension(output, ".svg"));
            Console.WriteLine($"bench: wrote {Path.GetRelativePath(Root, output)}");
        }

        return 0;
    }

    private static async Task<string> ServerSettingsAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT CONCAT(VERSION(), ', innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit)", connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the tool from inside the repository.");
    }
}
