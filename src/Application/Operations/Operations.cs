using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Posts;
using Scheduler.Application.Queue;
using Scheduler.Application.Queue.GetQueueCharts;
using Scheduler.Application.Queue.GetQueueHealth;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Operations;

/// <summary>
/// The operator's view of the whole queue, every company: totals, a breakdown per company and per platform, the
/// workers and the overall status. Only for tokens with the <c>operator</c> role (the Web layer enforces it).
/// </summary>
public sealed record GetOperatorQueueHealthQuery : IQuery<OperatorQueueHealthDto>;

public sealed record OperatorQueueHealthDto(
    IReadOnlyDictionary<PostState, int> Counts,
    int DueBacklog,
    double? OldestDueAgeSeconds,
    HealthStatus Status,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<CompanyQueueDto> Companies,
    IReadOnlyList<PlatformQueueDto> Platforms,
    IReadOnlyList<WorkerView> Workers,
    int AccountsNeedingReconnect,
    DateTimeOffset GeneratedAt);

public sealed record CompanyQueueDto(Guid CompanyId, string? Name, IReadOnlyDictionary<PostState, int> Counts, int DueBacklog);

public sealed record PlatformQueueDto(Platform Platform, IReadOnlyDictionary<PostState, int> Counts, int DueBacklog);

public sealed class GetOperatorQueueHealthQueryHandler(
    IApplicationDbContext db, IPostCounts postCounts, IQueueRollups rollups, IWorkerRegistry workers, TimeProvider clock)
    : IQueryHandler<GetOperatorQueueHealthQuery, OperatorQueueHealthDto>
{
    public async ValueTask<OperatorQueueHealthDto> Handle(GetOperatorQueueHealthQuery query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        // Counts by the post's own status are kept by every save (post_counts); the due and processing rows, which are
        // few, come from the queue's status index.
        var counted = await postCounts.ReadAsync(null, cancellationToken);
        var held = await db.Posts.AsNoTracking()
            .Where(p => p.Schedule.Status == ScheduleStatus.Processing
                        || (p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= now))
            .GroupBy(p => new { p.CompanyId, p.Platform, Processing = p.Schedule.Status == ScheduleStatus.Processing })
            .Select(g => new { g.Key.CompanyId, g.Key.Platform, g.Key.Processing, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var oldestDue = await db.Posts.AsNoTracking()
            .Where(p => p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= now)
            .Select(p => (DateTimeOffset?)p.Schedule.NextAttemptAt)
            .MinAsync(cancellationToken);
        var names = await db.Companies.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);

        var totals = new Tally();
        var companies = new Dictionary<Guid, Tally>();
        var platforms = new Dictionary<Platform, Tally>();
        Tally CompanyOf(Guid id) => companies.TryGetValue(id, out var t) ? t : companies[id] = new Tally();
        Tally PlatformOf(Platform platform) => platforms.TryGetValue(platform, out var t) ? t : platforms[platform] = new Tally();
        foreach (var row in counted)
        {
            var state = PostStates.Of(row.Status, ScheduleStatus.Pending);
            totals.Add(state, row.Count, 0);
            CompanyOf(row.CompanyId).Add(state, row.Count, 0);
            PlatformOf(row.Platform).Add(state, row.Count, 0);
        }

        foreach (var row in held)
        {
            foreach (var tally in new[] { totals, CompanyOf(row.CompanyId), PlatformOf(row.Platform) })
            {
                if (row.Processing)
                {
                    tally.MoveToProcessing(row.Count);
                }
                else
                {
                    tally.Add(PostState.Pending, 0, row.Count);
                }
            }
        }

        var backlog = totals.Due;
        var seen = (await workers.WorkersAsync(now.AddDays(-1), cancellationToken))
            .Select(w => WorkerView.From(w, now))
            .ToList();
        var reconnect = await db.SocialAccounts.AsNoTracking().CountAsync(a => a.Status == SocialAccountStatus.NeedsReconnect, cancellationToken);
        var dayAgo = now.AddDays(-1);
        var day = await rollups.TotalsAsync(null, dayAgo, now.AddMinutes(-15), cancellationToken);
        var liveFrom = day.LiveFrom(dayAgo);
        var publishedDay = day.Published
            + await db.Posts.AsNoTracking().CountAsync(p => p.Status == PostStatus.Published && p.PublishedAt >= liveFrom, cancellationToken);
        var failedDay = day.Failed
            + await db.Posts.AsNoTracking().CountAsync(p => p.Status == PostStatus.Failed && p.UpdatedAt >= liveFrom, cancellationToken);
        var oldestAge = oldestDue is { } oldest ? now - oldest : (TimeSpan?)null;
        var (status, reasons) = GetQueueHealthQueryHandler.Judge(
            totals.Counts, backlog, oldestAge, publishedDay + failedDay == 0 ? null : (double)publishedDay / (publishedDay + failedDay), seen, reconnect);
        return new OperatorQueueHealthDto(
            totals.Counts,
            backlog,
            oldestAge is { } age ? Math.Round(age.TotalSeconds, 3) : null,
            status,
            reasons,
            companies
                .Select(c => new CompanyQueueDto(c.Key, names.FirstOrDefault(n => n.Id == c.Key)?.Name, c.Value.Counts, c.Value.Due))
                .OrderByDescending(c => c.DueBacklog).ThenByDescending(c => c.Counts[PostState.Failed]).ThenBy(c => c.Name)
                .ToList(),
            platforms.Select(p => new PlatformQueueDto(p.Key, p.Value.Counts, p.Value.Due)).OrderBy(p => p.Platform).ToList(),
            seen,
            reconnect,
            now);
    }

    private sealed class Tally
    {
        public Dictionary<PostState, int> Counts { get; } = Enum.GetValues<PostState>().ToDictionary(s => s, _ => 0);

        public int Due { get; private set; }

        public void Add(PostState state, int count, int due)
        {
            Counts[state] += count;
            Due += due;
        }

        /// <summary>Pending posts a worker holds right now are processing.</summary>
        public void MoveToProcessing(int count)
        {
            Counts[PostState.Pending] -= count;
            Counts[PostState.Processing] += count;
        }
    }
}

/// <summary>
/// Counts every post again into <c>post_counts</c> (the operator's repair after posts were changed by hand in SQL, or
/// after a rolling upgrade from a version that did not keep the counts); answers how many posts it counted.
/// </summary>
public sealed record RecountPostsCommand : ICommand<RecountDto>, Common.Behaviours.IManagesOwnTransactions;

public sealed record RecountDto(int Posts);

public sealed class RecountPostsCommandHandler(IPostCounts postCounts) : ICommandHandler<RecountPostsCommand, RecountDto>
{
    public async ValueTask<RecountDto> Handle(RecountPostsCommand command, CancellationToken cancellationToken) =>
        new(await postCounts.RecountAsync(cancellationToken));
}

/// <summary>Posts of every company in one state (due, processing, failed, recently published…), for the operator.</summary>
public sealed record GetOperatorPostsQuery(PostState? Status = null, Guid? OfCompany = null, Platform? Platform = null, int? Limit = null, bool DueOnly = false)
    : IQuery<IReadOnlyList<PostDto>>;

public sealed class GetOperatorPostsQueryValidator : AbstractValidator<GetOperatorPostsQuery>
{
    public const int MaxLimit = 200;

    public GetOperatorPostsQueryValidator()
    {
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Platform).IsInEnum();
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
    }
}

public sealed class GetOperatorPostsQueryHandler(IApplicationDbContext db, TimeProvider clock)
    : IQueryHandler<GetOperatorPostsQuery, IReadOnlyList<PostDto>>
{
    public async ValueTask<IReadOnlyList<PostDto>> Handle(GetOperatorPostsQuery query, CancellationToken cancellationToken)
    {
        var posts = db.Posts.AsNoTracking()
            .Where(p => (query.OfCompany == null || p.CompanyId == query.OfCompany) && (query.Platform == null || p.Platform == query.Platform));
        if (query.DueOnly)
        {
            var now = clock.UtcNow();
            posts = posts.Where(p => p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= now);
        }

        posts = query.Status switch
        {
            PostState.Pending => posts.Where(p => p.Status == PostStatus.Pending && p.Schedule.Status == ScheduleStatus.Pending).OrderBy(p => p.Schedule.NextAttemptAt),
            PostState.Processing => posts.Where(p => p.Schedule.Status == ScheduleStatus.Processing).OrderBy(p => p.Schedule.NextAttemptAt),
            PostState.Published => posts.Where(p => p.Status == PostStatus.Published).OrderByDescending(p => p.PublishedAt),
            PostState.Failed => posts.Where(p => p.Status == PostStatus.Failed).OrderByDescending(p => p.UpdatedAt),
            PostState.Cancelled => posts.Where(p => p.Status == PostStatus.Cancelled).OrderByDescending(p => p.UpdatedAt),
            PostState.Missed => posts.Where(p => p.Status == PostStatus.Missed).OrderByDescending(p => p.UpdatedAt),
            PostState.Draft => posts.Where(p => p.Status == PostStatus.Draft).OrderByDescending(p => p.UpdatedAt),
            PostState.PendingApproval => posts.Where(p => p.Status == PostStatus.PendingApproval).OrderByDescending(p => p.UpdatedAt),
            _ => posts.OrderByDescending(p => p.UpdatedAt),
        };
        return await posts.Take(query.Limit ?? 50).ProjectToDto().ToListAsync(cancellationToken);
    }
}

/// <summary>Which company a post belongs to, so the operator's actions run as that company's (null: no such post).</summary>
public sealed record FindPostCompanyQuery(Guid PostId) : IQuery<Guid?>;

public sealed class FindPostCompanyQueryHandler(IApplicationDbContext db) : IQueryHandler<FindPostCompanyQuery, Guid?>
{
    public async ValueTask<Guid?> Handle(FindPostCompanyQuery query, CancellationToken cancellationToken) =>
        await db.Posts.AsNoTracking().Where(p => p.Id == query.PostId).Select(p => (Guid?)p.CompanyId).SingleOrDefaultAsync(cancellationToken);
}
