using System.Net;

namespace Scheduler.Web.FunctionalTests.Endpoints;

public sealed class PlatformEndpointsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    [Fact]
    public async Task OpenApi_DescribesTheRoutesAndTheBearerScheme()
    {
        var document = await AssertOkAsync(await Factory.CreateClient().GetAsync("/openapi/v1.json", Ct));

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/schedule-post", "/scheduled-posts", "/scheduled-posts/{id}", "/scheduled-posts/{id}/retry", "/social-accounts", "/clients" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is described");
        }

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Scalar_ServesTheApiReference()
    {
        var response = await Factory.CreateClient().GetAsync("/scalar", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_AnswersHealthyWithoutAToken(string path)
    {
        var response = await Factory.CreateClient().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Metrics_ArePrometheusText_WithSchedulersOwnInstruments()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        await ScheduleAsync(client, await ConnectAsync(client));

        var text = string.Empty;
        for (var i = 0; i < 20 && !text.Contains("scheduler_posts_scheduled", StringComparison.Ordinal); i++)
        {
            await Task.Delay(250, Ct); // the exporter caches a scrape briefly
            var response = await Factory.CreateClient().GetAsync("/metrics", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync(Ct);
        }

        Assert.Contains("scheduler_posts_scheduled", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_IsAPageThatReadsTheQueueHealth()
    {
        var response = await Factory.CreateClient().GetAsync("/dashboard", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Scheduler · Queue health</title>", html, StringComparison.Ordinal);
        Assert.Contains("'/queue/health'", html, StringComparison.Ordinal);
        Assert.Contains("'/operator/queue/health'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Answers404ProblemDetails()
    {
        await AssertProblemAsync(await Factory.ClientFor(Guid.CreateVersion7()).GetAsync("/nope", Ct), HttpStatusCode.NotFound);
    }
}
