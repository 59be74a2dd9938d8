using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>
/// Pomelo's retrying strategy (deadlocks, lock waits, unreachable server), which also replays a unit of work whose
/// connection died under it: after a database restart the pool still holds connections to the old server, and the
/// first statement on each fails. The first such failure drops them all, and the replay runs on a new connection.
/// </summary>
internal sealed class SchedulerExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount)
    : MySqlRetryingExecutionStrategy(dependencies, maxRetryCount)
{
    protected override bool ShouldRetryOn(Exception exception)
    {
        if (DatabaseFailures.IsConnectionLost(exception))
        {
            DatabaseFailures.ForgetPooledConnections();
            return true;
        }

        return base.ShouldRetryOn(exception);
    }
}
