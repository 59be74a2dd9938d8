namespace Scheduler.Infrastructure.Persistence.Idempotency;

/// <summary>
/// An idempotency key of a company (<c>idempotency_keys</c>): the hash of the request it was first used with, the
/// reservation of the request running with it, and once it succeeded, its response. Kept until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int KeyMaxLength = 200;

    public Guid CompanyId { get; set; }

    public string Key { get; set; } = string.Empty;

    public string RequestHash { get; set; } = string.Empty;

    public Guid Token { get; set; }

    public string? Response { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
