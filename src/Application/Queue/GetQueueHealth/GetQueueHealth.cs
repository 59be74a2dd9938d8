using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Posts;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Queue.GetQueueHealth;

/// <summary>The queue's health for the company: what the dashboard shows.</summary>
public sealed record GetQueueHealthQuery(Guid? CompanyId = null) : IQuery<QueueHealthDto>, ICompanyScoped;

/// <param name="Counts">Posts by status (pending, processing, published, failed, cancelled).</param>
/// <param name="DueBacklog">Pending posts already due that no worker has taken yet.</param>
/// <param name="OldestDueAgeSeconds">How long the oldest of those has been due.</param>
/// <param name="PublishedPerMinute">Average over the last 15 minutes.</param>
/// <param name="SuccessRate">Published ÷ (published + failed) over the last 24 hours; null without either.</param>
/// <param name="LatenessMs">How late posts published in the last 24 hours left: p50, p95, p99.</param>
/// <param name="RecoveredLast24Hours">Attempts taken over from a worker whose lease expired.</param>
public sealed record QueueHealthDto(
    IReadOnlyDictionary<PostState, int> Counts,
    int DueBacklog,
    double? OldestDueAgeSeconds,
    double PublishedPerMinute,
    double? SuccessRate,
    LatenessDto LatenessMs,
    IReadOnlyList<FailureDto> RecentFailures,
    int RecoveredLast24Hours,
    IReadOnlyList<WorkerStatus> Workers,
    DateTimeOffset GeneratedAt);

public sealed record LatenessDto(double? P50, double? P95, double? P99, int Samples);

public sealed record FailureDto(Guid PostId, DateTimeOffset FailedAt, string? Reason);

public sealed class GetQueueHealthQueryHandler(IApplicationDbContext db, IWorkerRegistry workers, ICurrentCompany company, TimeProvider clock)
    : IQueryHandler<GetQueueHealthQuery, QueueHealthDto>
{
    private const int LatenessSampleLimit = 20_000;

    public async ValueTask<QueueHealthDto> Handle(GetQueueHealthQuery query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var dayAgo = now.AddDays(-1);
        var posts = db.Posts.AsNoTracking().Where(p => p.CompanyId == company.Id);

        var groups = await posts
            .GroupBy(p => new { p.Status, Schedule = p.Schedule.Status })
            .Select(g => new { g.Key.Status, g.Key.Schedule, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var counts = Enum.GetValues<PostState>().ToDictionary(s => s, _ => 0);
        foreach (var group in groups)
        {
            counts[StateOf(group.Status, group.Schedule)] += group.Count;
        }

        var due = posts.Where(p => p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= now);
        var backlog = await due.CountAsync(cancellationToken);
        var oldestDue = backlog == 0 ? (DateTimeOffset?)null : await due.MinAsync(p => p.Schedule.NextAttemptAt, cancellationToken);

        var publishedRecently = await posts.CountAsync(
            p => p.Status == PostStatus.Published && p.PublishedAt >= now.AddMinutes(-15), cancellationToken);
        var publishedDay = await posts.CountAsync(p => p.Status == PostStatus.Published && p.PublishedAt >= dayAgo, cancellationToken);
        var failedDay = await posts.CountAsync(p => p.Status == PostStatus.Failed && p.UpdatedAt >= dayAgo, cancellationToken);

        var lateness = (await posts
                .Where(p => p.Status == PostStatus.Published && p.PublishedAt >= dayAgo)
                .OrderByDescending(p => p.PublishedAt)
                .Take(LatenessSampleLimit)
                .Select(p => new { p.Schedule.RunAt, p.PublishedAt })
                .ToListAsync(cancellationToken))
            .Select(p => Math.Max(0, (p.PublishedAt!.Value - p.RunAt).TotalMilliseconds))
            .Order()
            .ToList();

        var failures = await posts
            .Where(p => p.Status == PostStatus.Failed)
            .OrderByDescending(p => p.UpdatedAt)
            .Take(10)
            .Select(p => new FailureDto(p.Id, p.UpdatedAt, p.ErrorMessage))
            .ToListAsync(cancellationToken);

        var recovered = await db.PostAttempts.AsNoTracking()
            .Where(a => a.Outcome == JobFinisher.Recovered && a.FinishedAt >= dayAgo)
            .Join(posts, a => a.PostDetailId, p => p.Id, (a, _) => a)
            .CountAsync(cancellationToken);

        return new QueueHealthDto(
            counts,
            backlog,
            oldestDue is { } oldest ? Math.Round((now - oldest).TotalSeconds, 3) : null,
            Math.Round(publishedRecently / 15.0, 2),
            publishedDay + failedDay == 0 ? null : Math.Round((double)publishedDay / (publishedDay + failedDay), 4),
            new LatenessDto(Percentile(lateness, 0.50), Percentile(lateness, 0.95), Percentile(lateness, 0.99), lateness.Count),
            failures,
            recovered,
            await workers.WorkersAsync(dayAgo, cancellationToken),
            now);
    }

    private static PostState StateOf(PostStatus post, ScheduleStatus schedule) =>
        schedule == ScheduleStatus.Processing ? PostState.Processing
        : post switch
        {
            PostStatus.Published => PostState.Published,
            PostStatus.Failed => PostState.Failed,
            PostStatus.Cancelled => PostState.Cancelled,
            _ => PostState.Pending,
        };

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
}
