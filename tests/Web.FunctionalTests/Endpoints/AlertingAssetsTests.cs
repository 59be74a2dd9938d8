using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Common.Metrics;
using Scheduler.Infrastructure.Persistence.Queue;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>
/// The ready-made alert rules and Grafana dashboard in <c>docker/</c>: the rules pass <c>promtool check rules</c>
/// (Debian's prometheus package, installed by build/test.sh), the dashboard is valid JSON, and every metric either
/// names is one this app exports on <c>/metrics</c>.
/// </summary>
public sealed partial class AlertingAssetsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Rules = Path.Combine(Root, "docker", "prometheus", "alerts.yml");
    private static readonly string Dashboard = Path.Combine(Root, "docker", "grafana", "scheduler.json");

    [Fact]
    public async Task TheAlertRules_PassPromtool()
    {
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is installed by build/test.sh (Debian's prometheus package)");
        using var promtool = Process.Start(new ProcessStartInfo("promtool", ["check", "rules", Rules])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await promtool.StandardOutput.ReadToEndAsync(Ct) + await promtool.StandardError.ReadToEndAsync(Ct);
        await promtool.WaitForExitAsync(Ct);

        Assert.True(promtool.ExitCode == 0, output);
        Assert.Contains("SUCCESS: 7 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryMetricTheRulesAndTheDashboardName_IsExported()
    {
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Dashboard, Ct)).RootElement;
        var queries = dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.True(queries.Count >= 10, "the dashboard has its panels");
        var names = MetricName().Matches(string.Join('\n', queries) + await File.ReadAllTextAsync(Rules, Ct))
            .Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("scheduler_queue_due", names);
        Assert.Contains("scheduler_publish_lateness_seconds_bucket", names);

        var exported = await ScrapeAsync(names);

        Assert.All(names, name => Assert.True(
            Regex.IsMatch(exported, $"^{Regex.Escape(name)}[{{ ]", RegexOptions.Multiline),
            $"{name} is not on /metrics"));
    }

    /// <summary>
    /// /metrics once every instrument has a value: a post scheduled, published and failed, the gauges read, a request
    /// served, a platform call made. On a host of its own: the shared one's meter provider also hears the same-named
    /// meters of other tests' hosts, and loses instruments when those hosts are disposed.
    /// </summary>
    private async Task<string> ScrapeAsync(IReadOnlyCollection<string> names)
    {
        await using var app = Factory.WithWebHostBuilder(_ => { });
        var metrics = app.Services.GetRequiredService<SchedulerMetrics>();
        metrics.Scheduled();
        metrics.Published("facebook", TimeSpan.FromSeconds(2));
        metrics.Failed("facebook");
        await app.Services.GetRequiredService<QueueGauges>().SampleAsync(Ct);
        var tenant = app.CreateClient();
        tenant.DefaultRequestHeaders.Authorization = new("Bearer", SchedulerFactory.Token(new System.Security.Claims.Claim("company_id", Guid.CreateVersion7().ToString())));
        await tenant.GetAsync("/social-accounts", Ct);
        using (var platform = WireMockServer.Start())
        using (var http = new HttpClient())
        {
            platform.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200));
            await http.GetAsync(platform.Url + "/v26.0/me", Ct);
        }

        var text = string.Empty;
        // The exporter caches a scrape briefly: one taken by another test just before may predate these values.
        for (var i = 0; i < 20 && !names.All(name => text.Contains(name, StringComparison.Ordinal)); i++)
        {
            // Sampled again each time: the node's own 15-second loop silences the gauges if one of its reads fails.
            await app.Services.GetRequiredService<QueueGauges>().SampleAsync(Ct);
            await Task.Delay(300, Ct);
            var response = await app.CreateClient().GetAsync("/metrics", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync(Ct);
        }

        return text;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Scheduler.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Scheduler.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"\b(scheduler|http_server|http_client)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
