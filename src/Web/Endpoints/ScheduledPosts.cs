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
using Scheduler.Application.Posts.SchedulePostGroup;
using Scheduler.Application.Posts.CancelPostGroup;
using Scheduler.Application.Posts.Drafts;
using Scheduler.Application.Posts.Series;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class ScheduledPosts
{
    public static IEndpointRouteBuilder MapScheduledPosts(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Scheduled posts");
        group.MapPost("/schedule-post", Schedule)
            .WithSummary("Schedule a post on a social account, or on several at once (socialAccountIds: one post each, sharing a groupId).")
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
        group.MapPost("/scheduled-posts/{id}/schedule", (Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                MoveDraft(id, DraftAction.Schedule, null, companyId, key, sender, ct))
            .WithSummary("Put a draft in the queue at its time, without approval.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/scheduled-posts/{id}/submit", (Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                MoveDraft(id, DraftAction.Submit, null, companyId, key, sender, ct))
            .WithSummary("Submit a draft for approval.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/scheduled-posts/{id}/approve", (Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                MoveDraft(id, DraftAction.Approve, null, companyId, key, sender, ct))
            .RequireAuthorization(DependencyInjection.ApproverPolicy)
            .WithSummary("Approve a post awaiting approval: it enters the queue at its time (tokens with the approver role).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/scheduled-posts/{id}/reject", (Guid id, RejectRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                MoveDraft(id, DraftAction.Reject, request.Reason, request.CompanyId, key, sender, ct))
            .RequireAuthorization(DependencyInjection.ApproverPolicy)
            .WithSummary("Send a post awaiting approval back to draft with the reason (tokens with the approver role).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPatch("/post-series/{seriesId}", (Guid seriesId, SeriesEditRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                Answer(sender.Send(
                    new EditPostSeriesCommand(seriesId, request.Content, request.MediaUrls, request.Link, request.CompanyId, request.FirstComment)
                    {
                        IdempotencyKey = key,
                    },
                    ct)))
            .WithSummary("Edit the occurrences of a recurring post not yet published.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/post-series/{seriesId}", (Guid seriesId, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                Answer(sender.Send(new StopPostSeriesCommand(seriesId, companyId) { IdempotencyKey = key }, ct)))
            .WithSummary("Stop a recurring post: its occurrences not yet published are cancelled.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/post-groups/{groupId}", CancelGroup)
            .WithSummary("Cancel every post of a group still waiting; answers the group with each post's state.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/scheduled-posts/{id}/retry", Retry).WithSummary("Put a failed post back in the queue.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Created<PostDto>, Created<PostGroupDto>, Created<PostSeriesDto>>> Schedule(
        SchedulePostRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct)
    {
        if (request.Recurrence is not null)
        {
            if (request.SocialAccountIds is not null)
            {
                throw new FluentValidation.ValidationException(
                    [new FluentValidation.Results.ValidationFailure("recurrence", "A recurring post goes to one account (socialAccountId).")]);
            }

            var series = await sender.Send(
                new SchedulePostSeriesCommand(
                    request.SocialAccountId, request.Content ?? string.Empty, request.RunAt!, request.TimeZone ?? string.Empty, request.Recurrence,
                    request.MediaUrls, request.Link, request.ClientId, request.CompanyId, request.Media, request.Format, request.Draft,
                    request.FirstComment)
                {
                    IdempotencyKey = idempotencyKey,
                },
                ct);
            return TypedResults.Created($"/scheduled-posts?seriesId={series.SeriesId}", series);
        }

        if (request.SocialAccountIds is not null)
        {
            if (request.SocialAccountId != Guid.Empty)
            {
                throw new FluentValidation.ValidationException(
                    [new FluentValidation.Results.ValidationFailure("socialAccountIds", "Give socialAccountId or socialAccountIds, not both.")]);
            }

            var posts = await sender.Send(
                new SchedulePostGroupCommand(
                    request.SocialAccountIds, request.Content ?? string.Empty, request.RunAt!, request.TimeZone, request.MediaUrls,
                    request.Link, request.ClientId, request.CompanyId, request.Media, request.Format, request.Variants, request.Draft,
                    request.FirstComment)
                {
                    IdempotencyKey = idempotencyKey,
                },
                ct);
            return TypedResults.Created($"/scheduled-posts?groupId={posts.GroupId}", posts);
        }

        var post = await sender.Send(
            new SchedulePostCommand(
                request.SocialAccountId, request.Content ?? string.Empty, request.RunAt!,
                request.TimeZone, request.MediaUrls, request.Link, request.ClientId, request.CompanyId, request.Media, request.Format, request.Draft,
                request.FirstComment)
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
                request.From, request.To, request.Limit, request.Cursor, request.CompanyId, request.DueBy, request.GroupId, request.SeriesId),
            ct));

    private static async Task<Ok<PostDetailsDto>> Get(Guid id, Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetPostQuery(id, companyId), ct));

    private static async Task<Ok<PostDto>> Reschedule(
        Guid id, ReschedulePostRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(
            new ReschedulePostCommand(
                id, request.RunAt, request.TimeZone, request.Content, request.MediaUrls, request.Link, request.CompanyId,
                request.Media, request.Format, request.FirstComment)
            {
                IdempotencyKey = idempotencyKey,
            },
            ct));

    private static async Task<Ok<PostDto>> Cancel(
        Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new CancelPostCommand(id, companyId) { IdempotencyKey = idempotencyKey }, ct));

    private static async Task<Ok<T>> Answer<T>(ValueTask<T> answer) => TypedResults.Ok(await answer);

    public sealed record SeriesEditRequest(
        string? Content = null, IReadOnlyList<string>? MediaUrls = null, string? Link = null, Guid? CompanyId = null, string? FirstComment = null);

    private static async Task<Ok<PostDto>> MoveDraft(
        Guid id, DraftAction action, string? reason, Guid? companyId, string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new MoveDraftCommand(id, action, reason, companyId) { IdempotencyKey = idempotencyKey }, ct));

    private static async Task<Ok<PostGroupDto>> CancelGroup(
        Guid groupId, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new CancelPostGroupCommand(groupId, companyId) { IdempotencyKey = idempotencyKey }, ct));

    private static async Task<Ok<PostDto>> Retry(
        Guid id, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RetryPostCommand(id, companyId) { IdempotencyKey = idempotencyKey }, ct));

    /// <summary>
    /// runAt is ISO-8601 with an offset (2026-12-01T09:00:00+01:00), or a local time with an IANA timeZone. Media come
    /// as mediaUrls, or as media items ({url, altText, kind}); format is post (default), story or reel. socialAccountIds
    /// (instead of socialAccountId) schedules one post per account, with variants replacing the content or first comment
    /// on some of them. firstComment is published under the post right after it goes live.
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
        PostFormat? Format = null,
        IReadOnlyList<Guid>? SocialAccountIds = null,
        IReadOnlyList<PostVariant>? Variants = null,
        bool Draft = false,
        RecurrenceInput? Recurrence = null,
        string? FirstComment = null);

    public sealed record RejectRequest(string? Reason, Guid? CompanyId = null);

    public sealed record ReschedulePostRequest(
        string? RunAt = null,
        string? TimeZone = null,
        string? Content = null,
        IReadOnlyList<string>? MediaUrls = null,
        string? Link = null,
        Guid? CompanyId = null,
        IReadOnlyList<MediaInput>? Media = null,
        PostFormat? Format = null,
        string? FirstComment = null);

    public sealed record ListPostsRequest(
        string? Status,
        Guid? ClientId,
        Guid? SocialAccountId,
        DateTimeOffset? From,
        DateTimeOffset? To,
        int? Limit,
        string? Cursor,
        Guid? CompanyId,
        DateTimeOffset? DueBy,
        Guid? GroupId,
        Guid? SeriesId);
}
