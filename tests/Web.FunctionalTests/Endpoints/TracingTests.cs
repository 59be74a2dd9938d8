using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Claims;
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
        _app = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))));
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Requests_AreSpansNamedByTheirRoute_ProbesAreNot_AndQueryStringsAreRedacted()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SchedulerFactory.Token(new Claim("company_id", Guid.CreateVersion7().ToString())));

        await client.GetAsync("/social-accounts", Ct);
        await client.GetAsync("/health/live", Ct);
        await _app.CreateClient().GetAsync("/connections/callback/facebook?code=secret-code&state=secret-state", Ct);
        _app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var requests = _spans.Where(s => s.Kind == ActivityKind.Server).ToList();
        Assert.Contains(requests, s => (string?)s.GetTagItem("http.route") == "/social-accounts" && (int?)s.GetTagItem("http.response.status_code") == 200);
        Assert.DoesNotContain(requests, s => ((string?)s.GetTagItem("url.path"))?.StartsWith("/health", StringComparison.Ordinal) == true);
        var callback = Assert.Single(requests, s => (string?)s.GetTagItem("http.route") == "/connections/callback/{platform}");
        Assert.DoesNotContain("secret", string.Join(" ", callback.Tags.Select(t => t.Value)), StringComparison.Ordinal);
    }
}
