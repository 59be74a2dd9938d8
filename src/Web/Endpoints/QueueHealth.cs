using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.Queue.GetQueueCharts;
using Scheduler.Application.Queue.GetQueueHealth;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class QueueHealth
{
    public static IEndpointRouteBuilder MapQueueHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Queue");
        group.MapGet("/queue/health", Health)
            .WithSummary("The queue's health for the company: counts, backlog, throughput, lateness, failures, workers.");
        group.MapGet("/queue/charts", Charts)
            .WithSummary("The company's queue minute by minute over the last hour or day (window=hour|day).")
            .ProducesValidationProblem();
        group.MapGet("/queue/charts/{chart}.svg", Chart)
            .WithSummary("One chart as SVG: throughput, depth or lateness (window=hour|day).")
            .Produces(StatusCodes.Status200OK, contentType: SvgCharts.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<QueueChartsDto>> Charts(string? window, Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetQueueChartsQuery(EnumQuery.Parse<ChartWindow>(window, "window") ?? ChartWindow.Hour, companyId), ct));

    private static async Task<IResult> Chart(string chart, string? window, Guid? companyId, ISender sender, CancellationToken ct)
    {
        var data = await sender.Send(new GetQueueChartsQuery(EnumQuery.Parse<ChartWindow>(window, "window") ?? ChartWindow.Hour, companyId), ct);
        return Svg(chart, data);
    }

    /// <summary>The chart, or 404 naming the charts there are.</summary>
    public static IResult Svg(string chart, QueueChartsDto data) =>
        SvgCharts.Draw(chart, data) is { } svg
            ? TypedResults.Text(svg, SvgCharts.ContentType)
            : throw new Application.Common.Exceptions.NotFoundException("chart", $"{chart} (the charts are {string.Join(", ", SvgCharts.Names)})");

    private static async Task<Ok<QueueHealthDto>> Health(Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetQueueHealthQuery(companyId), ct));
}
