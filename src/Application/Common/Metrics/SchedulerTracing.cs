using System.Diagnostics;

namespace Scheduler.Application.Common.Metrics;

/// <summary>
/// Scheduler's own spans (activity source <c>Scheduler</c>): each claim, and each dispatch of a post from publish to
/// finish, as its own trace linked to the claim that took it. Requests and HTTP client calls are traced by the
/// platform's instrumentation.
/// </summary>
public static class SchedulerTracing
{
    public const string SourceName = "Scheduler";

    public const string Claim = "scheduler.claim";
    public const string TakeOver = "scheduler.take_over";
    public const string Dispatch = "scheduler.dispatch";
    public const string Publish = "scheduler.publish";
    public const string Finish = "scheduler.finish";

    public const string PostIdTag = "scheduler.post_id";
    public const string PlatformTag = "scheduler.platform";
    public const string AttemptTag = "scheduler.attempt";
    public const string TakenOverTag = "scheduler.taken_over";
    public const string OutcomeTag = "scheduler.outcome";
    public const string CountTag = "scheduler.count";
    public const string WorkerTag = "scheduler.worker_id";

    public static readonly ActivitySource Source = new(SourceName);
}
