using System.Text.Json;
using System.Text.Json.Serialization;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts.Events;
using Scheduler.Domain.SocialAccounts.Events;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>
/// An alert waiting to be delivered (<c>alert_outbox</c>). Written in the same transaction as the change it reports,
/// delivered by <see cref="AlertOutboxSender"/> with retries; its <see cref="Id"/> is the delivery id every attempt
/// carries, so a receiver can de-duplicate.
/// </summary>
public sealed class AlertOutboxMessage
{
    public const int TypeMaxLength = 64;
    public const int LastErrorMaxLength = 1000;

    public Guid Id { get; set; }

    public string Type { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>The alerts a change raises, as outbox rows; and back.</summary>
public static class AlertMessages
{
    public const string PostFailed = "post_failed";
    public const string AccountNeedsReconnect = "account_needs_reconnect";
    public const string PlatformMisconfigured = "platform_misconfigured";
    public const string AccountTokenExpiring = "account_token_expiring";
    public const string FirstCommentFailed = "first_comment_failed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The alert a domain event calls for, if any.</summary>
    public static AlertOutboxMessage? From(IDomainEvent domainEvent, DateTimeOffset now) => domainEvent switch
    {
        PostFailedEvent failed => Message(PostFailed, new PostFailedAlert(failed.PostId, failed.CompanyId, failed.Reason, failed.OccurredAt), now),
        // A missed post is a final outcome too: the same alert, its reason saying it was missed and not sent.
        PostMissedEvent missed => Message(PostFailed, new PostFailedAlert(missed.PostId, missed.CompanyId, $"Missed: {missed.Reason}", missed.OccurredAt), now),
        FirstCommentFailedEvent comment => Message(
            FirstCommentFailed,
            new FirstCommentFailedAlert(comment.PostId, comment.CompanyId, comment.Platform, comment.ExternalPostId, comment.Reason, comment.OccurredAt),
            now),
        SocialAccountNeedsReconnectEvent reconnect => Message(
            AccountNeedsReconnect,
            new AccountNeedsReconnectAlert(reconnect.AccountId, reconnect.CompanyId, reconnect.Platform, reconnect.Reason, reconnect.OccurredAt),
            now),
        SocialAccountTokenExpiringEvent expiring => Message(
            AccountTokenExpiring,
            new AccountTokenExpiringAlert(expiring.AccountId, expiring.CompanyId, expiring.Platform, expiring.ExpiresAt, expiring.OccurredAt),
            now),
        _ => null,
    };

    public static AlertOutboxMessage Message(string type, object alert, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        Type = type,
        Payload = JsonSerializer.Serialize(alert, alert.GetType(), Json),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>Hands the stored alert to a sink, by its type.</summary>
    public static Task DeliverAsync(AlertOutboxMessage message, IAlertSink sink, CancellationToken ct) => message.Type switch
    {
        PostFailed => sink.PostFailedAsync(JsonSerializer.Deserialize<PostFailedAlert>(message.Payload, Json)!, ct),
        AccountNeedsReconnect => sink.AccountNeedsReconnectAsync(JsonSerializer.Deserialize<AccountNeedsReconnectAlert>(message.Payload, Json)!, ct),
        AccountTokenExpiring => sink.AccountTokenExpiringAsync(JsonSerializer.Deserialize<AccountTokenExpiringAlert>(message.Payload, Json)!, ct),
        FirstCommentFailed => sink.FirstCommentFailedAsync(JsonSerializer.Deserialize<FirstCommentFailedAlert>(message.Payload, Json)!, ct),
        PlatformMisconfigured => sink.PlatformMisconfiguredAsync(JsonSerializer.Deserialize<PlatformMisconfiguredAlert>(message.Payload, Json)!, ct),
        _ => throw new InvalidOperationException($"Unknown alert type '{message.Type}' in the outbox."),
    };
}

/// <summary>The delivery being made, for sinks that name it (the webhook's <c>X-Scheduler-Delivery</c>).</summary>
public static class AlertDeliveryContext
{
    private static readonly AsyncLocal<Guid?> CurrentDelivery = new();

    public static Guid? Current
    {
        get => CurrentDelivery.Value;
        set => CurrentDelivery.Value = value;
    }
}

/// <summary>A sink could not deliver an alert; the outbox tries again later.</summary>
public sealed class AlertDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
