using System.Diagnostics.Metrics;
using Mediator;
using Scheduler.Domain.Posts.Events;

namespace Scheduler.Application.Common.Metrics;

/// <summary>
/// Scheduler's own instruments (meter <c>Scheduler</c>), fed by committed domain events: posts scheduled, published and
/// failed per platform, and how late each published post left.
/// </summary>
public sealed class SchedulerMetrics
{
    public const string MeterName = "Scheduler";

    private readonly Counter<long> _scheduled;
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _lateness;

    public SchedulerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _scheduled = meter.CreateCounter<long>("scheduler.posts.scheduled", "{post}", "Posts scheduled.");
        _published = meter.CreateCounter<long>("scheduler.posts.published", "{post}", "Posts published.");
        _failed = meter.CreateCounter<long>("scheduler.posts.failed", "{post}", "Posts that failed for good.");
        _lateness = meter.CreateHistogram<double>(
            "scheduler.publish.lateness", "s", "How long after its run_at a post was published.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900] });
    }

    public void Scheduled() => _scheduled.Add(1);

    public void Published(string platform, TimeSpan lateness)
    {
        var tag = new KeyValuePair<string, object?>("platform", platform);
        _published.Add(1, tag);
        _lateness.Record(Math.Max(0, lateness.TotalSeconds), tag);
    }

    public void Failed(string platform) => _failed.Add(1, new KeyValuePair<string, object?>("platform", platform));
}

/// <summary>Turns committed domain events into measurements.</summary>
public sealed class MetricsEventHandlers(SchedulerMetrics metrics)
    : INotificationHandler<PostScheduledEvent>, INotificationHandler<PostPublishedEvent>, INotificationHandler<PostFailedEvent>
{
    public ValueTask Handle(PostScheduledEvent notification, CancellationToken cancellationToken)
    {
        metrics.Scheduled();
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(PostPublishedEvent notification, CancellationToken cancellationToken)
    {
        metrics.Published(Name(notification.Platform), notification.OccurredAt - notification.RunAt);
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(PostFailedEvent notification, CancellationToken cancellationToken)
    {
        metrics.Failed(Name(notification.Platform));
        return ValueTask.CompletedTask;
    }

    private static string Name(Domain.SocialAccounts.Platform platform) => platform.ToString().ToLowerInvariant();
}
