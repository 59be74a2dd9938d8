using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Posts;
using Scheduler.Application.Queue;
using Scheduler.Application.Queue.GetQueueCharts;
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
/// <param name="Status">Healthy, degraded or unhealthy, with <paramref name="Reasons"/> saying why when not healthy.</param>
/// <param name="Workers">Workers seen in the last day: alive, stale or gone.</param>
public sealed record QueueHealthDto(
    IReadOnlyDictionary<PostState, int> Counts,
    int DueBacklog,
    double? OldestDueAgeSeconds,
    double PublishedPerMinute,
    double? SuccessRate,
    LatenessDto LatenessMs,
    IReadOnlyList<FailureDto> RecentFailures,
    int RecoveredLast24Hours,
    IReadOnlyList<WorkerView> Workers,
    DateTimeOffset GeneratedAt,
    HealthStatus Status = HealthStatus.Healthy,
    IReadOnlyList<string>? Reasons = null,
    int AccountsNeedingReconnect = 0);

public enum HealthStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("healthy")]
    Healthy,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("degraded")]
    Degraded,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("unhealthy")]
    Unhealthy,
}

public enum WorkerState
{
    /// <summary>Reported within <see cref="QueueHealthRules.AliveWithin"/>.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("alive")]
    Alive,

    /// <summary>Silent for longer, but not yet <see cref="QueueHealthRules.GoneAfter"/>: stuck, or cut off from the database.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("stale")]
    Stale,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("gone")]
    Gone,
}

/// <summary>A worker as the dashboard shows it.</summary>
public sealed record WorkerView(
    string WorkerId,
    WorkerState State,
    DateTimeOffset LastSeenAt,
    string? Host,
    string? Version,
    DateTimeOffset? StartedAt,
    int InFlight,
    double PublishedPerMinute,
    int Claimed,
    int Published)
{
    public static WorkerView From(WorkerStatus worker, DateTimeOffset now) =>
        new(worker.WorkerId, QueueHealthRules.StateOf(worker.LastSeenAt, now), worker.LastSeenAt, worker.Host, worker.Version,
            worker.StartedAt, worker.InFlight, worker.PublishedPerMinute, worker.Claimed, worker.Published);
}

/// <summary>The thresholds the overall status is judged by.</summary>
public static class QueueHealthRules
{
    /// <summary>Workers report every 10 s (and at the end of each run).</summary>
    public static readonly TimeSpan AliveWithin = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan GoneAfter = TimeSpan.FromMinutes(10);

    /// <summary>A due post older than this makes the queue degraded…</summary>
    public static readonly TimeSpan DegradedOldestDue = TimeSpan.FromMinutes(2);

    /// <summary>…and older than this, unhealthy.</summary>
    public static readonly TimeSpan UnhealthyOldestDue = TimeSpan.FromMinutes(10);

    /// <summary>Failed ÷ finished over 24 h above this is degraded.</summary>
    public const double DegradedFailureRate = 0.05;

    public static WorkerState StateOf(DateTimeOffset lastSeenAt, DateTimeOffset now) =>
        now - lastSeenAt <= AliveWithin ? WorkerState.Alive
        : now - lastSeenAt <= GoneAfter ? WorkerState.Stale
        : WorkerState.Gone;
}

public sealed record LatenessDto(double? P50, double? P95, double? P99, int Samples);

public sealed record FailureDto(Guid PostId, DateTimeOffset FailedAt, string? Reason);

public sealed class GetQueueHealthQueryHandler(
    IApplicationDbContext db, IPostCounts postCounts, IQueueRollups rollups, IWorkerRegistry workers, ICurrentCompany company, TimeProvider clock)
    : IQueryHandler<GetQueueHealthQuery, QueueHealthDto>
{
    /// <summary>Lateness percentiles are taken over the most recent posts of the day, at most this many.</summary>
    private const int LatenessSampleLimit = 2_000;

    public async ValueTask<QueueHealthDto> Handle(GetQueueHealthQuery query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var dayAgo = now.AddDays(-1);
        var posts = db.Posts.AsNoTracking().Where(p => p.CompanyId == company.Id);

        // What finished in the last day and the last 15 minutes: the minutes already rolled up, then the rest live.
        var rolled = await rollups.TotalsAsync(company.Id, dayAgo, now.AddMinutes(-15), cancellationToken);
        var liveFrom = rolled.LiveFrom(dayAgo);
        var recentFrom = rolled.LiveFrom(now.AddMinutes(-15));

        // Every live figure in one round trip: the few rows a worker holds and the due ones from the queue's indexes, what
        // finished since the last rolled-up minute from the (company, status, time) indexes.
        var live = await db.Companies.AsNoTracking()
            .Where(c => c.Id == company.Id)
            .Select(_ => new
            {
                Processing = posts.Count(p => p.Schedule.Status == ScheduleStatus.Processing),
                Backlog = posts.Count(p => p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= now),
                OldestDue = posts.Where(p => p.Schedule.Status == ScheduleStatus.Pending && p.Schedule.NextAttemptAt <= now)
                    .Min(p => (DateTimeOffset?)p.Schedule.NextAttemptAt),
                PublishedRecently = posts.Count(p => p.Status == PostStatus.Published && p.PublishedAt >= recentFrom),
                PublishedDay = posts.Count(p => p.Status == PostStatus.Published && p.PublishedAt >= liveFrom),
                FailedDay = posts.Count(p => p.Status == PostStatus.Failed && p.UpdatedAt >= liveFrom),
                Recovered = db.PostAttempts
                    .Where(a => a.Outcome == JobFinisher.Recovered && a.FinishedAt >= liveFrom)
                    .Join(posts, a => a.PostDetailId, p => p.Id, (a, _) => a)
                    .Count(),
                Reconnect = db.SocialAccounts.Count(a => a.CompanyId == company.Id && a.Status == Domain.SocialAccounts.SocialAccountStatus.NeedsReconnect),
            })
            .SingleOrDefaultAsync(cancellationToken);

        // Counts by status are kept by every save (post_counts).
        var counts = QueueCounts.Of(await postCounts.ReadAsync(company.Id, cancellationToken), live?.Processing ?? 0);
        var backlog = live?.Backlog ?? 0;
        var oldestDue = live?.OldestDue;
        var publishedRecently = rolled.PublishedRecently + (live?.PublishedRecently ?? 0);
        var publishedDay = rolled.Published + (live?.PublishedDay ?? 0);
        var failedDay = rolled.Failed + (live?.FailedDay ?? 0);
        var recovered = rolled.Recovered + (live?.Recovered ?? 0);
        var reconnect = live?.Reconnect ?? 0;

        var lateness = (await posts
                .Where(p => p.Status == PostStatus.Published && p.PublishedAt >= dayAgo)
                .OrderByDescending(p => p.PublishedAt)
                .Take(LatenessSampleLimit)
                .Select(p => new { p.RunAt, p.PublishedAt })
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

        var seen = (await workers.WorkersAsync(dayAgo, cancellationToken))
            .Select(w => WorkerView.From(w, now))
            .ToList();
        var oldestAge = oldestDue is { } oldest ? now - oldest : (TimeSpan?)null;
        var successRate = publishedDay + failedDay == 0 ? (double?)null : Math.Round((double)publishedDay / (publishedDay + failedDay), 4);
        var (status, reasons) = Judge(counts, backlog, oldestAge, successRate, seen, reconnect);
        return new QueueHealthDto(
            counts,
            backlog,
            oldestAge is { } age ? Math.Round(age.TotalSeconds, 3) : null,
            Math.Round(publishedRecently / 15.0, 2),
            successRate,
            new LatenessDto(Percentile(lateness, 0.50), Percentile(lateness, 0.95), Percentile(lateness, 0.99), lateness.Count),
            failures,
            recovered,
            seen,
            now,
            status,
            reasons,
            reconnect);
    }

    /// <summary>The overall status and, when not healthy, each reason in a sentence.</summary>
    public static (HealthStatus Status, IReadOnlyList<string> Reasons) Judge(
        IReadOnlyDictionary<PostState, int> counts, int backlog, TimeSpan? oldestDue, double? successRate,
        IReadOnlyList<WorkerView> workers, int accountsNeedingReconnect)
    {
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        var live = workers.Count(w => w.State == WorkerState.Alive);
        if (live == 0 && (backlog > 0 || counts[PostState.Processing] > 0))
        {
            unhealthy.Add("No live worker: due posts are not being published.");
        }

        if (oldestDue is { } age)
        {
            if (age > QueueHealthRules.UnhealthyOldestDue)
            {
                unhealthy.Add($"The oldest due post has waited {Durations.Human(age)} ({backlog} due).");
            }
            else if (age > QueueHealthRules.DegradedOldestDue)
            {
                degraded.Add($"Backlog: the oldest due post has waited {Durations.Human(age)} ({backlog} due).");
            }
        }

        if (successRate is { } rate && 1 - rate > QueueHealthRules.DegradedFailureRate)
        {
            degraded.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(1 - rate) * 100:0.#} % of the posts finished in the last 24 h failed."));
        }

        var stale = workers.Count(w => w.State == WorkerState.Stale);
        if (stale > 0)
        {
            degraded.Add($"{stale} worker{(stale == 1 ? " has" : "s have")} stopped reporting.");
        }

        if (accountsNeedingReconnect > 0)
        {
            degraded.Add($"{accountsNeedingReconnect} account{(accountsNeedingReconnect == 1 ? " needs" : "s need")} reconnecting.");
        }

        return unhealthy.Count > 0 ? (HealthStatus.Unhealthy, [.. unhealthy, .. degraded])
            : degraded.Count > 0 ? (HealthStatus.Degraded, degraded)
            : (HealthStatus.Healthy, []);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
}
