namespace Scheduler.Application.Common.Scheduling;

/// <summary>
/// One "now" per request (per scope): the validators and the handler of a command judge its times against the same
/// instant, so a post whose time passes while the request runs gets the validator's 400, never the aggregate's 409.
/// </summary>
public sealed class RequestClock(TimeProvider clock)
{
    private DateTimeOffset? _now;

    /// <summary>The request's instant (UTC, microseconds), taken at the first call.</summary>
    public DateTimeOffset UtcNow => _now ??= clock.UtcNow();
}
