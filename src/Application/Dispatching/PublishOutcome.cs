namespace Scheduler.Application.Dispatching;

/// <summary>How a publish call ended; each kind has its own treatment in the dispatcher.</summary>
public abstract record PublishOutcome
{
    /// <summary>Live, with the platform's id.</summary>
    public sealed record Published(string ExternalPostId) : PublishOutcome;

    /// <summary>Worth retrying later (5xx, a dropped connection before sending); backs off, spends an attempt.</summary>
    public sealed record Transient(string Reason, TimeSpan? RetryAfter = null) : PublishOutcome;

    /// <summary>Rate-limited or over quota until a time: deferred without spending an attempt.</summary>
    public sealed record RateLimited(string Reason, DateTimeOffset Until) : PublishOutcome;

    /// <summary>
    /// Not ready yet on the platform's side (media still processing): back in the queue until a time, no attempt spent.
    /// </summary>
    public sealed record NotReady(string Reason, DateTimeOffset Until) : PublishOutcome;

    /// <summary>
    /// Scheduler's own configuration for the platform is wrong (e.g. a retired API version): no post can go out until
    /// an operator fixes it. Deferred without spending an attempt, and operators are alerted once.
    /// </summary>
    public sealed record Misconfigured(string Reason, string Setting, DateTimeOffset Until) : PublishOutcome;

    /// <summary>
    /// Will never work as it is (bad media, too long, no permission): the post fails now. With
    /// <paramref name="PauseAccount"/> the platform blocked the account itself (policy), so it is disabled too.
    /// </summary>
    public sealed record Permanent(string Reason, bool PauseAccount = false) : PublishOutcome;

    /// <summary>The platform says it already has this post: reconcile; found is published, not found fails.</summary>
    public sealed record Duplicate(string Reason) : PublishOutcome;

    /// <summary>The token is invalid or revoked: the post fails and the account needs reconnecting.</summary>
    public sealed record AuthInvalid(string Reason) : PublishOutcome;

    /// <summary>The request may have reached the platform (a timeout after sending): reconcile before any retry.</summary>
    public sealed record Unknown(string Reason) : PublishOutcome;

    /// <summary>
    /// Found past <c>Dispatcher:MissedAfter</c> after its time: not sent (late is worse than never for this post), the
    /// post ends missed. Decided before any platform call; no attempt is spent.
    /// </summary>
    public sealed record Missed(string Reason) : PublishOutcome;

    /// <summary>What happened, in words: the reason, or the platform's id when it is live.</summary>
    public string Detail => this switch
    {
        Published x => x.ExternalPostId,
        Transient x => x.Reason,
        RateLimited x => x.Reason,
        NotReady x => x.Reason,
        Misconfigured x => x.Reason,
        Permanent x => x.Reason,
        AuthInvalid x => x.Reason,
        Unknown x => x.Reason,
        Duplicate x => x.Reason,
        Missed x => x.Reason,
        _ => Name,
    };

    public string Name => this switch
    {
        Published => "published",
        Transient => "transient",
        RateLimited => "rate_limited",
        NotReady => "not_ready",
        Misconfigured => "misconfigured",
        Permanent => "permanent",
        AuthInvalid => "auth_invalid",
        Unknown => "unknown",
        Duplicate => "duplicate",
        Missed => "missed",
        _ => GetType().Name.ToLowerInvariant(),
    };
}
