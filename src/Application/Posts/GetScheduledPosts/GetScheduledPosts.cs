using Ardalis.Specification;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Paging;
using Scheduler.Application.Common.Specifications;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts.GetScheduledPosts;

/// <summary>
/// The company's posts, oldest <c>runAt</c> first, a page at a time. <paramref name="Cursor"/> is the
/// <c>nextCursor</c> of the page before; <paramref name="From"/> is inclusive and <paramref name="To"/> exclusive.
/// <paramref name="DueBy"/> keeps the pending posts the queue hands out by then (their next attempt, not their time);
/// <paramref name="GroupId"/> the posts scheduled together on several accounts.
/// </summary>
public sealed record GetScheduledPostsQuery(
    PostState? Status = null,
    Guid? ClientId = null,
    Guid? SocialAccountId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int? Limit = null,
    string? Cursor = null,
    Guid? CompanyId = null,
    DateTimeOffset? DueBy = null,
    Guid? GroupId = null,
    Guid? SeriesId = null) : IQuery<PostPage>, ICompanyScoped;

public sealed record PostPage(IReadOnlyList<PostDto> Items, string? NextCursor);

public sealed class GetScheduledPostsQueryValidator : AbstractValidator<GetScheduledPostsQuery>
{
    public const int MaxLimit = 200;

    public GetScheduledPostsQueryValidator()
    {
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.ClientId).NotEqual(Guid.Empty);
        RuleFor(q => q.SocialAccountId).NotEqual(Guid.Empty);
        RuleFor(q => q.GroupId).NotEqual(Guid.Empty);
        RuleFor(q => q.SeriesId).NotEqual(Guid.Empty);
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("to must be later than from.");
        RuleFor(q => q.Cursor).Must(c => c is null || KeysetCursor.TryDecode(c, out _))
            .WithMessage("cursor is not one this API returned.");
    }
}

public sealed class GetScheduledPostsQueryHandler(IApplicationDbContext db, ICurrentCompany company)
    : IQueryHandler<GetScheduledPostsQuery, PostPage>
{
    public const int DefaultLimit = 50;

    public async ValueTask<PostPage> Handle(GetScheduledPostsQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? DefaultLimit;
        KeysetCursor.TryDecode(query.Cursor, out var after);

        var items = await db.Posts
            .WithSpecification(new PostsOfCompanySpec(company.Id, query, after, limit + 1))
            .ProjectToDto()
            .ToListAsync(cancellationToken);

        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = new KeysetCursor(items[^1].RunAt, items[^1].Id).Encode();
        }

        return new PostPage(items, next);
    }
}

/// <summary>A page of a company's posts matching the filters, in (runAt, id) order, after the cursor.</summary>
public sealed class PostsOfCompanySpec : Specification<Post>
{
    public PostsOfCompanySpec(Guid companyId, GetScheduledPostsQuery filter, KeysetCursor? after, int take)
    {
        Query.AsNoTracking().Where(p => p.CompanyId == companyId);
        if (filter.ClientId is { } clientId)
        {
            Query.Where(p => p.ClientId == clientId);
        }

        if (filter.GroupId is { } groupId)
        {
            Query.Where(p => p.GroupId == groupId);
        }

        if (filter.SeriesId is { } seriesId)
        {
            Query.Where(p => p.SeriesId == seriesId);
        }

        if (filter.SocialAccountId is { } accountId)
        {
            Query.Where(p => p.SocialAccountId == accountId);
        }

        if (filter.From is { } from)
        {
            Query.Where(p => p.RunAt >= from);
        }

        if (filter.To is { } to)
        {
            Query.Where(p => p.RunAt < to);
        }

        if (filter.DueBy is { } dueBy)
        {
            Query.Where(p => p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= dueBy);
        }

        switch (filter.Status)
        {
            case PostState.Processing:
                Query.Where(p => p.Schedule.Status == ScheduleStatus.Processing);
                break;
            case PostState.Pending:
                Query.Where(p => p.Status == PostStatus.Pending && p.Schedule.Status != ScheduleStatus.Processing);
                break;
            case PostState.Published:
                Query.Where(p => p.Status == PostStatus.Published);
                break;
            case PostState.Failed:
                Query.Where(p => p.Status == PostStatus.Failed);
                break;
            case PostState.Cancelled:
                Query.Where(p => p.Status == PostStatus.Cancelled);
                break;
            case PostState.Missed:
                Query.Where(p => p.Status == PostStatus.Missed);
                break;
            case PostState.Draft:
                Query.Where(p => p.Status == PostStatus.Draft);
                break;
            case PostState.PendingApproval:
                Query.Where(p => p.Status == PostStatus.PendingApproval);
                break;
        }

        if (after is { } cursor)
        {
            Query.Where(p => p.RunAt > cursor.RunAt
                             || (p.RunAt == cursor.RunAt && p.Id.CompareTo(cursor.Id) > 0));
        }

        Query.OrderBy(p => p.RunAt).ThenBy(p => p.Id).Take(take);
    }
}
