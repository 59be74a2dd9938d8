using System.ComponentModel.DataAnnotations;

namespace Scheduler.Infrastructure.Platforms.Sandbox;

/// <summary>
/// The sandbox publisher's behaviour (<c>Sandbox:*</c>): a latency per call and a probability per failure outcome
/// (<c>Sandbox:FailureRates:Transient=0.1</c>; outcomes Transient, RateLimited, Permanent, AuthInvalid, Unknown).
/// </summary>
public sealed class SandboxOptions : IValidatableObject
{
    public const string Section = "Sandbox";

    public static readonly string[] Outcomes = ["Transient", "RateLimited", "Permanent", "AuthInvalid", "Unknown"];

    [Range(0, 600_000)]
    public int LatencyMs { get; set; }

    public Dictionary<string, double> FailureRates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The probability that a first comment is refused (permanently: the post stays published).</summary>
    [Range(0.0, 1.0)]
    public double CommentFailureRate { get; set; }

    /// <summary>How long a rate-limited answer defers the post.</summary>
    [Range(0, 86_400)]
    public int RateLimitSeconds { get; set; } = 60;

    /// <summary>The Retry-After a transient answer carries, if any.</summary>
    [Range(0, 86_400)]
    public int? RetryAfterSeconds { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (outcome, rate) in FailureRates)
        {
            if (!Outcomes.Contains(outcome, StringComparer.OrdinalIgnoreCase))
            {
                yield return new ValidationResult(
                    $"Sandbox:FailureRates:{outcome} is not an outcome; use {string.Join(", ", Outcomes)}.");
            }

            if (rate is < 0 or > 1)
            {
                yield return new ValidationResult($"Sandbox:FailureRates:{outcome} must be between 0 and 1.");
            }
        }

        if (FailureRates.Values.Sum() > 1)
        {
            yield return new ValidationResult("The Sandbox:FailureRates add up to more than 1.");
        }
    }
}
