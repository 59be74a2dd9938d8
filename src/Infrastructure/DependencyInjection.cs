using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Application;
using Scheduler.Application.Common.Behaviours;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Posts;
using Scheduler.Infrastructure.Persistence;
using Scheduler.Infrastructure.Security;

namespace Scheduler.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Everything Scheduler needs in any .NET host — the mediator with its pipeline (logging, validation,
    /// transaction), the use cases, the database and the token protection — in one call. The web host calls it;
    /// so does any other host that sends Scheduler's commands in process.
    /// </summary>
    public static IServiceCollection AddScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplication();
        services.AddInfrastructure(configuration);
        services.AddMediator((MediatorOptions options) =>
        {
            options.Namespace = "Scheduler.Infrastructure.Mediator";
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Application.DependencyInjection), typeof(Post)];
            options.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(TransactionBehaviour<,>),
            ];
        });
        return services;
    }

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<PostingOptions>()
            .Bind(configuration.GetSection(PostingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The connection string is read when a context is built, so hosts and tests can change it until then.
        services.AddDbContext<SchedulerDbContext>((sp, options) =>
            ConfigureMySql(
                options,
                sp.GetRequiredService<IConfiguration>(),
                sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<SchedulerDbContext>());
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<ICompanyProvisioner, CompanyProvisioner>();

        services.AddDataProtection()
            .SetApplicationName("Scheduler")
            .PersistKeysToDbContext<SchedulerDbContext>();
        services.AddSingleton<ITokenProtector, DataProtectionTokenProtector>();
        return services;
    }

    /// <summary>
    /// Makes this scope act for <paramref name="companyId"/> (creating the company on first use), as the web host
    /// does from the token's <c>company_id</c> claim. Call it on a fresh scope before sending commands.
    /// </summary>
    public static async Task UseCompanyAsync(
        this IServiceProvider scopedServices, Guid companyId, string? companyName = null,
        CancellationToken cancellationToken = default)
    {
        scopedServices.GetRequiredService<CompanyContext>().Use(companyId);
        await scopedServices.GetRequiredService<ICompanyProvisioner>()
            .EnsureAsync(companyId, companyName, cancellationToken);
    }

    internal static void ConfigureMySql(DbContextOptionsBuilder options, IConfiguration configuration, DatabaseOptions database)
    {
        options.UseMySql(
            DatabaseOptions.ConnectionString(configuration),
            ServerVersion.Parse(database.ServerVersion),
            mysql =>
            {
                mysql.MigrationsAssembly(typeof(SchedulerDbContext).Assembly.GetName().Name);
                mysql.MigrationsHistoryTable("__EFMigrationsHistory");
                if (database.MaxRetryCount > 0)
                {
                    mysql.EnableRetryOnFailure(database.MaxRetryCount);
                }
            });
    }
}
