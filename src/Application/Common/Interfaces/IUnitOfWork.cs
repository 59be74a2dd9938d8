namespace Scheduler.Application.Common.Interfaces;

/// <summary>Runs a command's work in one database transaction and saves what it changed.</summary>
public interface IUnitOfWork
{
    bool HasActiveTransaction { get; }

    /// <summary>
    /// Begins a transaction, runs <paramref name="work"/>, saves the changes and commits; rolls back if anything throws.
    /// Domain events raised by the work are published after the commit.
    /// </summary>
    Task<T> ExecuteInTransactionAsync<T>(Func<CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken);
}
