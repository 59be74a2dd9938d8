using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Scheduler.Bench;

/// <summary>
/// The REST API of one api-role node under wrk (a Lua script sets the method, the token and the body). Consecutive API
/// scenarios share the node, as they would share a running server: each route is warmed once, then measured.
/// </summary>
internal sealed partial class ApiLoad(BenchDatabase db) : IDisposable
{
    private const int Port = 5099;

    private const int WarmupSeconds = 8;

    /// <summary>The warm-up's connections: few enough to leave the JIT's background thread a core.</summary>
    private const int WarmupConnections = 2;

    private readonly HashSet<Route> _warmed = [];
    private Node? _node;

    public enum Route
    {
        SchedulePost,
        ListAccounts,
    }

    public async Task<Result> RunAsync(string name, Route route, int connections, int seconds = 8)
    {
        if (_node is null)
        {
            await db.RecreateAsync();
            await db.SeedAccountsAsync(1);
            _node = new Node(db.ConnectionString, "api", new Dictionary<string, string>(), Port);
            _node.Start();
            await _node.WaitLiveAsync(TimeSpan.FromSeconds(60));
        }

        var script = Path.Combine(Path.GetTempPath(), $"scheduler-bench-{name}.lua");
        await File.WriteAllTextAsync(script, Lua(route, Token(db.CompanyId), db.Accounts[0]));
        try
        {
            // A warm-up that lets the JIT's background tier-up of the route's path finish, then the measured run: an
            // api node serves for days, and its steady state is the figure wanted, as for the workers' warm-up. Under
            // the full load the tier-up thread competes with the requests for the two cores and needs ≈ 20 s; at two
            // connections it is done in the 8 s (decision 0017).
            if (_warmed.Add(route))
            {
                await WrkAsync(script, WarmupConnections, WarmupSeconds);
            }

            var output = await WrkAsync(script, connections, seconds);
            var errors = Match(NonSuccess(), output);
            if (errors > 0)
            {
                throw new InvalidOperationException($"{name}: {errors} answers were not 2xx\n{output}");
            }

            return new Result(name, route.ToString(), [
                ("req/s", Match(RequestsPerSecond(), output), "req/s"),
                ("p50", Latency(output, "50%"), "ms"),
                ("p99", Latency(output, "99%"), "ms"),
            ]);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Stops the node; the next API scenario starts a fresh one.</summary>
    public void Dispose()
    {
        _node?.Dispose();
        _node = null;
        _warmed.Clear();
    }

    private static string Lua(Route route, string token, Guid account) => route switch
    {
        Route.SchedulePost => $$"""
            wrk.method = "POST"
            wrk.path = "/schedule-post"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer {{token}}"
            wrk.body = '{"socialAccountId":"{{account}}","content":"Benchmark post","runAt":"2099-01-01T09:00:00Z"}'
            """,
        _ => $$"""
            wrk.method = "GET"
            wrk.path = "/social-accounts"
            wrk.headers["Authorization"] = "Bearer {{token}}"
            """,
    };

    private static async Task<string> WrkAsync(string script, int connections, int seconds)
    {
        var info = new ProcessStartInfo("wrk",
            [$"-t{Math.Min(2, connections)}", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, $"http://127.0.0.1:{Port}"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (build/bench.sh installs it).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        return output;
    }

    /// <summary>An HS256 token for the company, as build/token.sh makes them (issuer and audience of appsettings.json).</summary>
    private static string Token(Guid company) => Token($"\"company_id\":\"{company}\"");

    /// <summary>A development JWT carrying <paramref name="claim"/> (a JSON member), signed with the nodes' key.</summary>
    public static string Token(string claim)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = B64("""{"alg":"HS256","typ":"JWT"}""");
        var claims = B64($$"""{"sub":"bench",{{claim}},"iss":"scheduler","aud":"scheduler-api","iat":{{now}},"nbf":{{now}},"exp":{{now + 3600}}}""");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Program.SigningKey), Encoding.UTF8.GetBytes($"{header}.{claims}")));
        return $"{header}.{claims}.{signature}";

        static string B64(string json) => Base64Url(Encoding.UTF8.GetBytes(json));
        static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    private static double Match(Regex regex, string output)
    {
        var match = regex.Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percentile} latency:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
