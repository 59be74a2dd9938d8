using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>Request spans, collected by OpenTelemetry's in-memory exporter added to the real host's tracer.</summary>
public sealed class TracingTests : FunctionalTest, IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly WebApplicationFactory<Program> _app;

    public TracingTests(SchedulerFactory factory) : base(factory)
    {
        _app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Tracing:Enabled", "true");
            builder.ConfigureServices(services =>
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
        });
    }

    public void Dispose() => _app.Dispose();

    /// <summary>A copy (the exporter adds while the test reads), of the server spans.</summary>
    private List<Activity> Server() => [.. _spans.ToArray().Where(s => s.Kind == ActivityKind.Server)];

    private bool Exported(string route) => Server().Any(s => (string?)s.GetTagItem("http.route") == route);

    [Fact]
    public void WithoutAnExporterOrTheSwitch_NothingIsTraced() =>
        Assert.False(DependencyInjection.TracingEnabled(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));

    [Fact]
    public async Task Requests_AreSpansNamedByTheirRoute_ProbesAreNot_AndQueryStringsAreRedacted()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SchedulerFactory.Token(new Claim("company_id", Guid.CreateVersion7().ToString())));

        await client.GetAsync("/social-accounts", Ct);
        await client.GetAsync("/health/live", Ct);
        await _app.CreateClient().GetAsync("/connections/callback/facebook?code=secret-code&state=secret-state", Ct);
        // A request's span ends after its answer has left: wait for the last one to be exported.
        var tracer = _app.Services.GetRequiredService<TracerProvider>();
        for (var i = 0; i < 50 && !Exported("/connections/callback/{platform}"); i++)
        {
            tracer.ForceFlush();
            await Task.Delay(100, Ct);
        }

        var requests = Server();
        Assert.Contains(requests, s => (string?)s.GetTagItem("http.route") == "/social-accounts" && (int?)s.GetTagItem("http.response.status_code") == 200);
        Assert.DoesNotContain(requests, s => ((string?)s.GetTagItem("url.path"))?.StartsWith("/health", StringComparison.Ordinal) == true);
        var callback = Assert.Single(requests, s => (string?)s.GetTagItem("http.route") == "/connections/callback/{platform}");
        Assert.DoesNotContain("secret", string.Join(" ", callback.Tags.Select(t => t.Value)), StringComparison.Ordinal);
    }
}
