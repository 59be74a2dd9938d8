using System.Diagnostics;

namespace Scheduler.Web.FunctionalTests.Dispatching;

/// <summary>The real web host started as a separate process (worker role), which the test can SIGKILL.</summary>
internal sealed class WorkerProcess(string name, IReadOnlyDictionary<string, string> environment) : IDisposable
{
    private Process? _process;

    public string Name => name;

    public int Starts { get; private set; }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", [WebDll])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(WebDll)!,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("The worker did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
    }

    /// <summary>SIGKILL: no shutdown hooks, no finally blocks, leases left as they are.</summary>
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

    /// <summary>The host built next to this test (same configuration: Debug or Release).</summary>
    private static string WebDll
    {
        get
        {
            var here = AppContext.BaseDirectory;
            var root = new DirectoryInfo(here);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Scheduler.sln")))
            {
                root = root.Parent;
            }

            var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release"
                : "Debug";
            var dll = Path.Combine(root!.FullName, "src", "Web", "bin", configuration, "net10.0", "Scheduler.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first.", dll);
        }
    }
}
