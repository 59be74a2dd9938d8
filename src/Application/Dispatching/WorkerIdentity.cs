namespace Scheduler.Application.Dispatching;

/// <summary>Who holds a lease: host name and process id, as written to <c>post_schedule.worker_id</c>.</summary>
public sealed record WorkerIdentity(string Id)
{
    public static WorkerIdentity ForThisProcess() => new($"{Environment.MachineName}:{Environment.ProcessId}");
}
