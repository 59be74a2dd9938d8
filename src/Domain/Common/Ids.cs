namespace Scheduler.Domain.Common;

/// <summary>New identities are time-ordered (UUIDv7), so inserts append to the clustered index.</summary>
public static class Ids
{
    public static Guid New() => Guid.CreateVersion7();
}
