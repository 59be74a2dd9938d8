using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.Posts.GetCalendar;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class Calendar
{
    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        app.MapTenantGroup("Calendar")
            .MapGet("/calendar", Get)
            .WithSummary("The company's posts by local day (from, to: dates, both included; timeZone: IANA), groups folded, for planning a week or a month.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Ok<CalendarDto>> Get(
        string? from, string? to, string? timeZone, int? perDay, Guid? socialAccountId, Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(
            new GetCalendarQuery(from ?? string.Empty, to ?? string.Empty, timeZone ?? string.Empty, perDay, socialAccountId, companyId), ct));
}
