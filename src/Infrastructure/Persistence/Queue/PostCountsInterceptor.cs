using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// Sends a save's <c>post_counts</c> upsert with the save's first command: one round trip fewer for every change of a
/// post's status (each schedule, edit, cancel and finish). The save hands its counts over just before it runs
/// (<see cref="SchedulerDbContext.TakePendingCounts"/>); whatever no command took is written after it.
/// </summary>
internal sealed class PostCountsInterceptor : DbCommandInterceptor
{
    public static readonly PostCountsInterceptor Instance = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Prepend(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Prepend(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Prepend(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Prepend(command, eventData);
        return ValueTask.FromResult(result);
    }

    private static void Prepend(DbCommand command, CommandEventData eventData)
    {
        if (eventData.CommandSource == CommandSource.SaveChanges
            && eventData.Context is SchedulerDbContext db
            && db.TakePendingCounts() is { Count: > 0 } deltas)
        {
            PostCounts.Prepend(command, deltas);
        }
    }
}
