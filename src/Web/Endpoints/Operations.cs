using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Operations;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.GetPost;
using Scheduler.Application.Posts.RetryPost;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

/// <summary>
/// The operator's routes (a token with <c>"role": "operator"</c>): every company's queue, and the same post actions a
/// company has, run as the post's company through the same commands.
/// </summary>
public static class Operations
{
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/operator")
            .WithTags("Operator")
            .RequireAuthorization(DependencyInjection.OperatorPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/queue/health", Health).WithSummary("Every company's queue: totals, per company, per platform, workers, status.");
        group.MapPost("/queue/recount", Recount)
            .WithSummary("Count every post again (after posts were changed by hand in SQL); holds writes to posts for about a second per million.");
        group.MapGet("/queue/charts", Charts).WithSummary("The whole queue minute by minute over the last hour or day.");
        group.MapGet("/queue/charts/{chart}.svg", Chart).WithSummary("One chart of the whole queue as SVG: throughput, depth or lateness.")
            .Produces(StatusCodes.Status200OK, contentType: SvgCharts.ContentType);
        group.MapGet("/posts", List).WithSummary("Posts of every company in one state, newest change first (pending and processing: next due first).")
            .ProducesValidationProblem();
        group.MapGet("/posts/{id}", Get).WithSummary("Any company's post with its attempt history.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/posts/{id}/retry", Retry).WithSummary("Put any company's failed post back in the queue.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/posts/{id}", Cancel).WithSummary("Cancel any company's pending post.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Ok<OperatorQueueHealthDto>> Health(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetOperatorQueueHealthQuery(), ct));

    private static async Task<Ok<RecountDto>> Recount(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RecountPostsCommand(), ct));

    private static async Task<Ok<Application.Queue.GetQueueCharts.QueueChartsDto>> Charts(string? window, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Application.Queue.GetQueueCharts.GetOperatorQueueChartsQuery(
            EnumQuery.Parse<Application.Queue.GetQueueCharts.ChartWindow>(window, "window") ?? Application.Queue.GetQueueCharts.ChartWindow.Hour), ct));

    private static async Task<IResult> Chart(string chart, string? window, ISender sender, CancellationToken ct) =>
        QueueHealth.Svg(chart, await sender.Send(new Application.Queue.GetQueueCharts.GetOperatorQueueChartsQuery(
            EnumQuery.Parse<Application.Queue.GetQueueCharts.ChartWindow>(window, "window") ?? Application.Queue.GetQueueCharts.ChartWindow.Hour), ct));

    private static async Task<Ok<IReadOnlyList<PostDto>>> List(
        string? status, Guid? companyId, string? platform, int? limit, bool? due, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(
            new GetOperatorPostsQuery(EnumQuery.Parse<PostState>(status, "status"), companyId, EnumQuery.Parse<Platform>(platform, "platform"), limit, due == true), ct));

    private static async Task<Ok<PostDetailsDto>> Get(Guid id, HttpContext http, ISender sender, CancellationToken ct)
    {
        await ActAsPostsCompanyAsync(id, http, sender, ct);
        return TypedResults.Ok(await sender.Send(new GetPostQuery(id), ct));
    }

    private static async Task<Ok<PostDto>> Retry(
        Guid id, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, HttpContext http, ISender sender, CancellationToken ct)
    {
        await ActAsPostsCompanyAsync(id, http, sender, ct);
        return TypedResults.Ok(await sender.Send(new RetryPostCommand(id) { IdempotencyKey = idempotencyKey }, ct));
    }

    private static async Task<Ok<PostDto>> Cancel(
        Guid id, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, HttpContext http, ISender sender, CancellationToken ct)
    {
        await ActAsPostsCompanyAsync(id, http, sender, ct);
        return TypedResults.Ok(await sender.Send(new CancelPostCommand(id) { IdempotencyKey = idempotencyKey }, ct));
    }

    /// <summary>The request acts for the post's company from here on: the commands and their rules are the company's own.</summary>
    private static async Task ActAsPostsCompanyAsync(Guid postId, HttpContext http, ISender sender, CancellationToken ct)
    {
        var company = await sender.Send(new FindPostCompanyQuery(postId), ct) ?? throw new NotFoundException("post", postId);
        await http.RequestServices.UseCompanyAsync(company, null, ct);
    }
}
