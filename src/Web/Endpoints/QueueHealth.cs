using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.Queue.GetQueueHealth;

namespace Scheduler.Web.Endpoints;

public static class QueueHealth
{
    public static IEndpointRouteBuilder MapQueueHealth(this IEndpointRouteBuilder app)
    {
        app.MapTenantGroup("Queue").MapGet("/queue/health", Health)
            .WithSummary("The queue's health for the company: counts, backlog, throughput, lateness, failures, workers.");
        return app;
    }

    private static async Task<Ok<QueueHealthDto>> Health(Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetQueueHealthQuery(companyId), ct));
}
