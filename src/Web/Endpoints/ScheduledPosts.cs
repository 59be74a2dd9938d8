using Microsoft.AspNetCore.Mvc;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.Posts;
using Scheduler.Domain.Posts;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.GetPost;
using Scheduler.Application.Posts.GetScheduledPosts;
using Scheduler.Application.Posts.ReschedulePost;
using Scheduler.Application.Posts.RetryPost;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class ScheduledPosts
{
    public static IEndpointRouteBuilder MapScheduledPosts(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Scheduled posts");
        group.MapPost("/schedule-post", Schedule)
            .WithSummary("Schedule a post on a social account.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/scheduled-posts", List).WithSummary("List posts, oldest runAt first, a page at a time.")
            .ProducesValidationProblem();
        group.MapGet("/scheduled-posts/{id}", Get).WithSummary("One post with its publishing attempts.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/scheduled-posts/{id}", Reschedule).WithSummary("Reschedule or edit a pending post.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/scheduled-posts/{id}", Cancel).WithSummary("Cancel a pending post.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/scheduled-posts/{id}/retry", Retry).WithSummary("Put a failed post back in the queue.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Created<PostDto>> Schedule(
        SchedulePostRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct)
    {
        var post = await sender.Send(
            new SchedulePostCommand(
                request.SocialAccountId, request.Content ?? string.Empty, request.RunAt!,
                request.TimeZone, request.MediaUrls, request.Link, request.ClientId, request.CompanyId, request.Media, request.Format)
            {
                IdempotencyKey = idempotencyKey,
            },
            ct);
        return TypedResults.Created($"/scheduled-posts/{post.Id}", post);
    }

    private static async Task<Ok<PostPage>> List(
        [AsParameters] ListPostsRequest request, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(
            new GetScheduledPostsQuery(
                EnumQuery.Parse<PostState>(request.Status, "status"), request.ClientId, request.SocialAccountId,
                request.From, request.To, request.Limit, request.Cursor, request.CompanyId, request.DueBy),
            ct));

    private static async Task<Ok<PostDetailsDto>> Get(Guid id, Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetPostQuery(id, companyId), ct));

    private static async Task<Ok<PostDto>> Reschedule(
        Guid id, ReschedulePostRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(
            new ReschedulePostCommand(
                id, request.RunAt, request.TimeZone, request.Content, request.MediaUrls, request.Link, request.CompanyId,
                request.Media, request.Format)
            {
                IdempotencyKey = idempotencyKey,
            },
            ct));

    private static async Task<Ok<PostDto>> Cancel(
        Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new CancelPostCommand(id, companyId) { IdempotencyKey = idempotencyKey }, ct));

    private static async Task<Ok<PostDto>> Retry(
        Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RetryPostCommand(id, companyId) { IdempotencyKey = idempotencyKey }, ct));

    /// <summary>
    /// runAt is ISO-8601 with an offset (2026-12-01T09:00:00+01:00), or a local time with an IANA timeZone. Media come
    /// as mediaUrls, or as media items ({url, altText, kind}); format is post (default), story or reel.
    /// </summary>
    public sealed record SchedulePostRequest(
        Guid SocialAccountId,
        string? Content,
        string? RunAt,
        string? TimeZone = null,
        IReadOnlyList<string>? MediaUrls = null,
        string? Link = null,
        Guid? ClientId = null,
        Guid? CompanyId = null,
        IReadOnlyList<MediaInput>? Media = null,
        PostFormat? Format = null);

    public sealed record ReschedulePostRequest(
        string? RunAt = null,
        string? TimeZone = null,
        string? Content = null,
        IReadOnlyList<string>? MediaUrls = null,
        string? Link = null,
        Guid? CompanyId = null,
        IReadOnlyList<MediaInput>? Media = null,
        PostFormat? Format = null);

    public sealed record ListPostsRequest(
        string? Status,
        Guid? ClientId,
        Guid? SocialAccountId,
        DateTimeOffset? From,
        DateTimeOffset? To,
        int? Limit,
        string? Cursor,
        Guid? CompanyId,
        DateTimeOffset? DueBy);
}
