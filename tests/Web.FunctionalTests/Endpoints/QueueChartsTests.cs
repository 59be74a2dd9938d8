using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>The charts: the company's per-minute rollups as JSON and as server-drawn SVG.</summary>
public sealed class QueueChartsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static DateTimeOffset LastMinute()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-1);
    }

    [Fact]
    public async Task TheCompanysMinutes_AreChartedAsJsonAndSvg_AndNoOtherCompanySeesThem()
    {
        var company = Guid.CreateVersion7();
        var client = Factory.ClientFor(company);
        var account = await ConnectAsync(client);
        await ScheduleAsync(client, account);
        await ScheduleAsync(client, account);
        await Factory.Services.GetRequiredService<SqlQueueRollups>().RollUpAsync(LastMinute(), Ct);

        var json = await AssertOkAsync(await client.GetAsync("/queue/charts?window=day", Ct));
        var svgResponse = await client.GetAsync("/queue/charts/depth.svg?window=hour", Ct);
        var other = await AssertOkAsync(await Factory.ClientFor(Guid.CreateVersion7()).GetAsync("/queue/charts", Ct));

        Assert.Equal("day", json.GetProperty("window").GetString());
        Assert.Equal(2, Assert.Single(json.GetProperty("minutes").EnumerateArray()).GetProperty("pendingFuture").GetInt32());
        Assert.Empty(other.GetProperty("minutes").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, svgResponse.StatusCode);
        Assert.Equal("image/svg+xml", svgResponse.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await svgResponse.Content.ReadAsStringAsync(Ct)).Root!;
        Assert.Equal("svg", svg.Name.LocalName);
        Assert.Equal("Queue depth", svg.Attribute("aria-label")?.Value);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName is "circle" or "polyline"); // the minute is drawn
    }

    [Fact]
    public async Task AnUnknownChartIs404_AndAnUnknownWindow400()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());

        var chart = await AssertProblemAsync(await client.GetAsync("/queue/charts/pie.svg", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync("/queue/charts?window=week", Ct), HttpStatusCode.BadRequest);

        Assert.Contains("throughput, depth, lateness", chart.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
