using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Quartz;
using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Scheduler.Infrastructure.Persistence;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.Scheduling;

/// <summary>
/// Once a day (<c>Accounts:ExpiryCheckCron</c>) and when a worker starts: <see cref="CheckTokenExpiriesCommand"/>, run
/// by one node per firing across the cluster — the node that takes the database's named lock; the others skip.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class TokenLifecycleJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<TokenLifecycleJob> logger) : IJob
{
    public static readonly JobKey Key = new("token-lifecycle", "scheduler");

    public const string DefaultCron = "0 15 3 * * ?";

    public const string LockName = "scheduler.token-lifecycle";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(DatabaseOptions.ConnectionString(configuration), cancellationToken);
        await using (var take = new MySqlCommand($"SELECT GET_LOCK('{LockName}', 0)", connection))
        {
            if (Convert.ToInt64(await take.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 1)
            {
                return; // another node is running it
            }
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CheckTokenExpiriesCommand(), cancellationToken);
            LogChecked(logger, result.Expiring, result.Expired);
        }
        finally
        {
            await using var release = new MySqlCommand($"DO RELEASE_LOCK('{LockName}')", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token check: {Expiring} account(s) now expiring, {Expired} expired")]
    private static partial void LogChecked(ILogger logger, int expiring, int expired);
}
