using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Scheduler.Web.FunctionalTests;

/// <summary>The real host on a loopback port a browser can reach, and Debian's Chromium to drive (build/test.sh installs it).</summary>
internal static class BrowserHost
{
    public const string Chromium = "/usr/bin/chromium";

    public static (WebApplicationFactory<Program> App, string BaseUrl) Start(
        SchedulerFactory factory, Action<IWebHostBuilder, string>? configure = null)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var app = factory.WithWebHostBuilder(builder => configure?.Invoke(builder, baseUrl));
        app.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        app.StartServer();
        return (app, baseUrl);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Root needs --no-sandbox; the rest keeps Chromium from calling out of this closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
}
