namespace Scheduler.Application.Common.Idempotency;

/// <summary>
/// A command a caller may safely send twice: with the same <see cref="IdempotencyKey"/> (per company) and the same
/// content, the second answer is the first one, and nothing is done twice. Over HTTP the key is the
/// <c>Idempotency-Key</c> header; in process it is this property.
/// </summary>
public interface IIdempotentCommand
{
    string? IdempotencyKey { get; }
}

/// <summary>How a key stands when a command using it arrives.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>The key is this request's now; <see cref="Token"/> names the reservation.</summary>
    public sealed record Started(Guid Token) : IdempotencyClaim;

    /// <summary>A request with this key and content already succeeded: its response, as stored.</summary>
    public sealed record Completed(string ResponseJson) : IdempotencyClaim;

    /// <summary>A request with this key is still running.</summary>
    public sealed record InProgress : IdempotencyClaim;

    /// <summary>The key was used for a request with other content.</summary>
    public sealed record Mismatch : IdempotencyClaim;
}

/// <summary>Where keys, the hash of the request they were first used with and its response are kept.</summary>
public interface IIdempotencyStore
{
    /// <summary>Reserves the key for this request, committed at once (its own connection), or says how it stands.</summary>
    Task<IdempotencyClaim> BeginAsync(Guid companyId, string key, string requestHash, CancellationToken cancellationToken);

    /// <summary>Stores the response in the command's own transaction: it is kept exactly when the command's work is.</summary>
    Task CompleteAsync(Guid companyId, string key, Guid token, string responseJson, CancellationToken cancellationToken);

    /// <summary>Gives the key up after a failure (its own connection), so a retry runs the command again.</summary>
    Task ReleaseAsync(Guid companyId, string key, Guid token, CancellationToken cancellationToken);
}

/// <summary><c>Idempotency:*</c>: how long a key and its response are kept, and how long a reservation may run.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    [System.ComponentModel.DataAnnotations.Range(1, 24 * 30)]
    public int RetentionHours { get; set; } = 24;

    /// <summary>A reservation older than this belongs to a request that died; another request may take the key over.</summary>
    [System.ComponentModel.DataAnnotations.Range(5, 3_600)]
    public int AbandonedAfterSeconds { get; set; } = 120;
}
