using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using MySqlConnector;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>Database settings (<c>Database:*</c>) and the connection string (<c>ConnectionStrings:Scheduler</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Scheduler";
    public const string DefaultConnectionString =
        "Server=127.0.0.1;Port=3306;Database=scheduler;User=scheduler;Password=scheduler";

    /// <summary>The server the model targets, e.g. <c>10.11.0-mariadb</c> or <c>8.0.36-mysql</c>. Never auto-detected.</summary>
    [Required]
    public string ServerVersion { get; set; } = "10.11.0-mariadb";

    /// <summary>Apply pending migrations when the host starts (under a database lock, so nodes can start together).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    [Range(0, 10)]
    public int MaxRetryCount { get; set; } = 3;

    /// <summary>
    /// The configured connection string with the settings the model depends on: UUIDs as compact, time-ordered
    /// <c>binary(16)</c> and UTC instants. A pooled connection is handed out as it was returned, without a reset round
    /// trip (<c>Connection Reset=false</c>, unless the configured string says otherwise): nothing here leaves session
    /// state behind (every transaction sets its isolation level, named locks are released where they are taken), and a
    /// connection the server dropped fails on its first statement, which the execution strategy and the queue's retries
    /// replay on a new one. See docs/decisions/0018-lean-request-path.md.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var builder = new MySqlConnectionStringBuilder(
            configuration.GetConnectionString(ConnectionStringName) ?? DefaultConnectionString)
        {
            GuidFormat = MySqlGuidFormat.Binary16,
            DateTimeKind = MySqlDateTimeKind.Utc,
        };
        if (!builder.ContainsKey("Connection Reset"))
        {
            builder.ConnectionReset = false;
        }

        return builder.ConnectionString;
    }
}
