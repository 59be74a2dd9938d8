using System.Diagnostics;

namespace Scheduler.Bench;

/// <summary>A Scheduler process (the Release web host) with the settings of one scenario; killed with SIGKILL.</summary>
internal sealed class Node : IDisposable
{
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    public Node(string connectionString, string roles, IReadOnlyDictionary<string, string> settings, int port = 0)
    {
        Port = port;
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Scheduler"] = connectionString,
            ["Scheduler__Roles"] = roles,
            ["Publishing__Mode"] = "Sandbox",
            ["Auth__SigningKey"] = Program.SigningKey,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Scheduler.Application.Common.Events"] = "Warning",
            ["Database__MigrateOnStartup"] = "false",
            // The API scenarios measure the write path, not the per-company limiter (one company sends all the load).
            ["RateLimiting__Enabled"] = "false",
        };
        foreach (var (key, value) in settings.Concat(Program.NodeSettings))
        {
            _environment[key] = value;
        }
    }

    public int Port { get; }

    public int? ProcessId => _process?.Id;

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", [WebDll])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(WebDll)!,
        };
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("The node did not start.");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && Program.Verbose)
            {
                Console.Error.WriteLine($"  node: {line}");
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && Program.Verbose)
            {
                Console.Error.WriteLine($"  node: {line}");
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    /// <summary>Waits until the node answers <c>/health/live</c> (needs a fixed port).</summary>
    public async Task WaitLiveAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health/live"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The node on port {Port} did not come up within {timeout.TotalSeconds} s.");
    }

    /// <summary>The web host built in Release next to this tool.</summary>
    private static string WebDll
    {
        get
        {
            var dll = Path.Combine(Program.Root, "src", "Web", "bin", "Release", "net10.0", "Scheduler.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution in Release first.", dll);
        }
    }
}
