using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using System.Net.Sockets;
using MySqlConnector;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>What a database failure means for the caller; the one place outside the queue that knows MySQL's errors.</summary>
public static class DatabaseFailures
{
    /// <summary>MariaDB's ER_CONNECTION_KILLED, which MySqlConnector has no name for.</summary>
    private const int MariaDbConnectionKilled = 1927;

    /// <summary>How long a caller should wait before retrying while the database is away.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The database cannot be reached now (down, restarting, the connection dropped): a 503, not a bug.</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        _ when IsConnectionLost(exception) => true,
        MySqlException mysql => mysql.IsTransient || mysql.ErrorCode is MySqlErrorCode.UnableToConnectToHost,
        RetryLimitExceededException => true,
        TimeoutException => true,
        _ when exception.InnerException is { } inner => IsUnavailable(inner),
        _ => false,
    };

    /// <summary>
    /// The database connection died under a statement (the server restarted or a proxy dropped it): the statement may
    /// be sent again on a new connection. Only the driver's own socket failures count: a client that hangs up, or a
    /// platform that cannot be reached, is not the database. Pooled connections are handed out without a round trip to check them, so after a
    /// restart each one the pool still holds fails like this once; <see cref="ForgetPooledConnections"/> drops them.
    /// </summary>
    public static bool IsConnectionLost(Exception exception) => exception switch
    {
        MySqlEndOfStreamException => true,
        MySqlException { InnerException: IOException or SocketException } => true,
        // The server's last words on a connection it closes: shutting down, killed (MariaDB), idle too long (MySQL 8).
        MySqlException { ErrorCode: MySqlErrorCode.ServerShutdown or MySqlErrorCode.ClientInteractionTimeout } => true,
        MySqlException { Number: MariaDbConnectionKilled } => true,
        _ when exception.InnerException is { } inner => IsConnectionLost(inner),
        _ => false,
    };

    /// <summary>Closes every idle pooled connection: after one was found dead, the others most likely are too.</summary>
    public static void ForgetPooledConnections() => MySqlConnection.ClearAllPools();

    /// <summary>A unique key refused a row written at the same time by another request.</summary>
    public static bool IsDuplicateKey(Exception exception) =>
        exception is DbUpdateException { InnerException: MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } };
}
