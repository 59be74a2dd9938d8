namespace Scheduler.Application.Dispatching;

/// <summary>Exponential backoff with full jitter; a platform's Retry-After is a floor.</summary>
public static class Backoff
{
    /// <param name="attempt">The attempt that just failed (1 for the first).</param>
    /// <param name="random">A sample in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan @base, TimeSpan cap, double random, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(cap.TotalSeconds, @base.TotalSeconds * Math.Pow(2, exponent));
        var jittered = TimeSpan.FromSeconds(ceiling * Math.Clamp(random, 0, 1));
        return retryAfter is { } floor && floor > jittered ? floor : jittered;
    }
}
