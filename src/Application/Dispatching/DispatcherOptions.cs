using System.ComponentModel.DataAnnotations;

namespace Scheduler.Application.Dispatching;

/// <summary>The worker's numbers (<c>Dispatcher:*</c>), validated at start-up.</summary>
public sealed class DispatcherOptions : IValidatableObject
{
    public const string Section = "Dispatcher";

    /// <summary>Quartz cron of the regular tick (seconds minutes hours day month weekday).</summary>
    [Required]
    public string Cron { get; set; } = "0 * * * * ?";

    /// <summary>Rows claimed per transaction.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Attempts a new post gets.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a claim holds a row before another worker may recover it.</summary>
    [Range(1, 86_400)]
    public int LeaseSeconds { get; set; } = 600;

    /// <summary>How long one run keeps claiming batches; claimed rows are always finished.</summary>
    [Range(1, 3_600)]
    public int RunBudgetSeconds { get; set; } = 50;

    /// <summary>Between runs, look for due rows at least this often (0: only the cron tick and the one-shot trigger).</summary>
    [Range(0, 3_600)]
    public int IdlePollSeconds { get; set; } = 5;

    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 16;

    [Range(1, 256)]
    public int MaxConcurrencyPerPlatform { get; set; } = 8;

    [Range(1, 16)]
    public int MaxConcurrencyPerAccount { get; set; } = 1;

    /// <summary>Exponential backoff with full jitter: a retry waits a random time up to min(cap, base·2^(attempt−1)).</summary>
    [Range(0.001, 86_400)]
    public double BackoffBaseSeconds { get; set; } = 30;

    [Range(0.001, 86_400)]
    public double BackoffCapSeconds { get; set; } = 3_600;

    /// <summary>
    /// How long recovery keeps asking a platform that cannot say whether a post went live before it fails the post
    /// ("check the platform by hand") rather than risk publishing it twice.
    /// </summary>
    [Range(1, 720)]
    public int ReconcileGiveUpHours { get; set; } = 24;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BackoffCapSeconds < BackoffBaseSeconds)
        {
            yield return new ValidationResult(
                "Dispatcher:BackoffCapSeconds must be at least Dispatcher:BackoffBaseSeconds.", [nameof(BackoffCapSeconds)]);
        }

        if (MaxConcurrencyPerPlatform > MaxConcurrency)
        {
            yield return new ValidationResult(
                "Dispatcher:MaxConcurrencyPerPlatform cannot exceed Dispatcher:MaxConcurrency.", [nameof(MaxConcurrencyPerPlatform)]);
        }
    }
}
