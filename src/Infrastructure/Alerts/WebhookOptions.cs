using System.ComponentModel.DataAnnotations;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>
/// <c>Alerts:Webhook:*</c>: where alerts are POSTed, and the secret that signs them. Without a URL there is no webhook.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Alerts:Webhook";

    [Url]
    public string? Url { get; set; }

    public string? Secret { get; set; }

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (Secret is null || Secret.Length < 16))
        {
            yield return new ValidationResult("Alerts:Webhook:Secret (at least 16 characters) is required with a webhook URL.");
        }
    }
}
