namespace Scheduler.Application.Common.Scheduling;

public static class TimeProviderExtensions
{
    /// <summary>Now, to the microsecond: the precision the database keeps, so what a command returns is what a read returns.</summary>
    public static DateTimeOffset UtcNow(this TimeProvider clock) => RunAtResolver.Truncate(clock.GetUtcNow());
}
