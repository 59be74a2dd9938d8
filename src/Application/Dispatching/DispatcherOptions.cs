using System.ComponentModel.DataAnnotations;

namespace Scheduler.Application.Dispatching;

/// <summary>The worker's numbers (<c>Dispatcher:*</c>), validated at start-up.</summary>
public sealed class DispatcherOptions : IValidatableObject
{
    public const string Section = "Dispatcher";

    /// <summary>Attempts a new post gets.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// How long a claim holds a row before another worker may take it over. Live leases are renewed, so this is how
    /// long a dead node's rows wait: short.
    /// </summary>
    [Range(2, 86_400)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often a node extends the leases of the rows it is publishing.</summary>
    [Range(1, 3_600)]
    public int LeaseRenewSeconds { get; set; } = 10;

    /// <summary>
    /// A post not published within this long after its time is marked missed with the reason instead of being
    /// published late (a "good morning" at 3 p.m.). Null (the default): every post is published however late.
    /// </summary>
    public TimeSpan? MissedAfter { get; set; }

    /// <summary>How long one run keeps claiming; what it claimed is always finished.</summary>
    [Range(1, 3_600)]
    public int RunBudgetSeconds { get; set; } = 50;

    /// <summary>Between runs, look for due rows at least this often (0: only the cron tick and the one-shot trigger).</summary>
    [Range(0, 3_600)]
    public int IdlePollSeconds { get; set; } = 5;

    /// <summary>Publishes in flight on this node (platform calls are I/O: hundreds are cheap).</summary>
    [Range(1, 10_000)]
    public int MaxInFlight { get; set; } = 1_000;

    /// <summary>Rows one claim takes at most (a burst is claimed in several, back to back).</summary>
    [Range(1, 1_000)]
    public int ClaimBatchSize { get; set; } = 100;

    /// <summary>Publishes in flight for one account on this node.</summary>
    [Range(1, 16)]
    public int MaxInFlightPerAccount { get; set; } = 1;

    /// <summary>
    /// Calls per second each platform's app may make from this node (a token bucket; a burst of one second).
    /// Unset means the platform's documented default in live mode (docs/platforms.md) and no limit in the sandbox.
    /// </summary>
    public Dictionary<string, double> PlatformCallsPerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Take-overs from dead workers a post may cost before it is failed as a poison pill.</summary>
    [Range(1, 1_000)]
    public int MaxRecoveries { get; set; } = 10;

    /// <summary>Finishes written in one transaction.</summary>
    [Range(1, 1_000)]
    public int FinishBatchSize { get; set; } = 100;

    /// <summary>How long a finish keeps retrying while the database is away before it leaves the row to recovery.</summary>
    [Range(0, 3_600)]
    public int FinishRetrySeconds { get; set; } = 120;

    /// <summary>Exponential backoff with full jitter: a retry waits a random time up to min(cap, base·2^(attempt−1)).</summary>
    [Range(0.001, 86_400)]
    public double BackoffBaseSeconds { get; set; } = 30;

    [Range(0.001, 86_400)]
    public double BackoffCapSeconds { get; set; } = 3_600;

    /// <summary>
    /// Calls for a post's first comment when the platform answers "try again" (5xx, a short rate limit); the post is
    /// live already, so only the comment is tried again, right away, while the row is still held.
    /// </summary>
    [Range(1, 10)]
    public int FirstCommentTries { get; set; } = 3;

    /// <summary>The pause between two tries of a first comment when the platform names no time.</summary>
    [Range(0, 60)]
    public double FirstCommentRetrySeconds { get; set; } = 2;

    /// <summary>
    /// How long recovery keeps asking a platform that cannot say whether a post went live before it fails the post
    /// ("check the platform by hand") rather than risk publishing it twice.
    /// </summary>
    [Range(1, 720)]
    public int ReconcileGiveUpHours { get; set; } = 24;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan LeaseRenewal => TimeSpan.FromSeconds(LeaseRenewSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MissedAfter is { } missedAfter && missedAfter <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Dispatcher:MissedAfter must be positive (e.g. 00:30:00), or unset.", [nameof(MissedAfter)]);
        }

        if (BackoffCapSeconds < BackoffBaseSeconds)
        {
            yield return new ValidationResult(
                "Dispatcher:BackoffCapSeconds must be at least Dispatcher:BackoffBaseSeconds.", [nameof(BackoffCapSeconds)]);
        }

        if (LeaseRenewSeconds * 2 > LeaseSeconds)
        {
            yield return new ValidationResult(
                "Dispatcher:LeaseRenewSeconds must be at most half of Dispatcher:LeaseSeconds, so a lease survives a missed renewal.",
                [nameof(LeaseRenewSeconds)]);
        }

        foreach (var (platform, rate) in PlatformCallsPerSecond)
        {
            if (!Enum.TryParse<Domain.SocialAccounts.Platform>(platform, ignoreCase: true, out _) || rate <= 0)
            {
                yield return new ValidationResult(
                    $"Dispatcher:PlatformCallsPerSecond:{platform} must name a platform and be positive.", [nameof(PlatformCallsPerSecond)]);
            }
        }
    }
}
