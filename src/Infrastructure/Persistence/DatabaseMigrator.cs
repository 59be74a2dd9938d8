using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>Applies pending migrations, holding a named database lock so nodes starting together take turns.</summary>
public static class DatabaseMigrator
{
    private const string LockName = "scheduler_migrations";

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var acquired = await db.Database
                .SqlQuery<long?>($"SELECT GET_LOCK({LockName}, 120) AS `Value`")
                .SingleAsync(cancellationToken);
            if (acquired != 1)
            {
                throw new InvalidOperationException("Could not take the migration lock within 120 seconds.");
            }

            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT RELEASE_LOCK({LockName})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
