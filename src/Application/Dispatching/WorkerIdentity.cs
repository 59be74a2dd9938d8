namespace Scheduler.Application.Dispatching;

/// <summary>Who holds a lease, as written to <c>post_schedule.worker_id</c>; the host names it (host and process).</summary>
public sealed record WorkerIdentity(string Id);
