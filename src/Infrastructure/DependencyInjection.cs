using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Application;
using Scheduler.Application.Common.Behaviours;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Metrics;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Posts.MediaPreflight;
using Scheduler.Infrastructure.Media;
using Scheduler.Domain.Posts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Infrastructure.Alerts;
using Scheduler.Infrastructure.Dispatching;
using Scheduler.Infrastructure.Persistence;
using Scheduler.Infrastructure.Persistence.Queue;
using Scheduler.Infrastructure.Platforms;
using Scheduler.Infrastructure.Platforms.Sandbox;
using Scheduler.Infrastructure.Scheduling;
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
                typeof(TenancyBehaviour<,>),
                typeof(IdempotencyBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(TransactionBehaviour<,>),
                typeof(IdempotencyCompletionBehaviour<,>),
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
        services.AddOptions<DispatcherOptions>()
            .Bind(configuration.GetSection(DispatcherOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Application.Common.Idempotency.IdempotencyOptions>()
            .Bind(configuration.GetSection(Application.Common.Idempotency.IdempotencyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<Application.Common.Idempotency.IIdempotencyStore, Persistence.Idempotency.SqlIdempotencyStore>();
        services.AddOptions<Application.SocialAccounts.CheckTokenExpiries.AccountOptions>()
            .Bind(configuration.GetSection(Application.SocialAccounts.CheckTokenExpiries.AccountOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Application.Posts.Quotas.QuotaOptions>()
            .Bind(configuration.GetSection(Application.Posts.Quotas.QuotaOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<MediaPreflightOptions>()
            .Bind(configuration.GetSection(MediaPreflightOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMediaProbe(configuration);

        // Pooled: a request or a finish batch rents a context instead of building one. The connection string is read
        // when the pool builds its options (first use), so hosts and tests can change it until then.
        services.AddDbContextPool<SchedulerDbContext>((sp, options) =>
            ConfigureMySql(
                options,
                sp.GetRequiredService<IConfiguration>(),
                sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<SchedulerDbContext>());
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<ICompanyProvisioner, CompanyProvisioner>();
        services.AddSingleton<KnownCompanies>();

        services.AddMetrics();
        services.AddSingleton<SchedulerMetrics>();
        services.TryAddSingleton(new WorkerIdentity($"{Environment.MachineName}:{Environment.ProcessId}"));
        services.AddSingleton<IJobQueue, SqlJobQueue>();
        services.AddSingleton<IPlatformStateStore, SqlPlatformStateStore>();
        services.AddSingleton<IWorkerRegistry, SqlWorkerRegistry>();
        services.AddSingleton<Persistence.Queue.SqlQueueRollups>();
        services.AddSingleton<Application.Queue.GetQueueCharts.IQueueRollups>(sp => sp.GetRequiredService<Persistence.Queue.SqlQueueRollups>());
        services.AddSingleton<Application.Queue.IPostCounts, Persistence.Queue.PostCounts>();
        AddDispatcher(services, configuration);
        AddAlerts(services, configuration);
        services.TryAddSingleton<IDispatchSignal, NoDispatchSignal>();
        AddPublishers(services, configuration);

        services.AddDataProtection()
            .SetApplicationName("Scheduler")
            .PersistKeysToDbContext<SchedulerDbContext>();
        services.AddSingleton<ITokenProtector, DataProtectionTokenProtector>();
        return services;
    }

    /// <summary>
    /// The dispatcher: a Quartz job that sends ProcessDueJobs on the <c>Dispatcher:Cron</c> tick and whenever a post
    /// falls due sooner. Call it on nodes with the worker role.
    /// </summary>
    public static IServiceCollection AddSchedulerWorker(this IServiceCollection services, IConfiguration configuration)
    {
        var cron = configuration[$"{DispatcherOptions.Section}:Cron"] ?? ProcessDueJobsJob.DefaultCron;
        if (!CronExpression.TryParse(cron, out _))
        {
            throw new InvalidOperationException($"Dispatcher:Cron '{cron}' is not a valid Quartz cron expression.");
        }

        var tokenCron = configuration["Accounts:ExpiryCheckCron"] ?? TokenLifecycleJob.DefaultCron;
        if (!CronExpression.TryParse(tokenCron, out _))
        {
            throw new InvalidOperationException($"Accounts:ExpiryCheckCron '{tokenCron}' is not a valid Quartz cron expression.");
        }

        services.AddQuartz(q =>
        {
            q.AddJob<TokenLifecycleJob>(j => j.WithIdentity(TokenLifecycleJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(TokenLifecycleJob.Key).WithIdentity("token-lifecycle-daily", "scheduler").WithCronSchedule(tokenCron, c => c.InTimeZone(TimeZoneInfo.Utc)));
            q.AddTrigger(t => t.ForJob(TokenLifecycleJob.Key).WithIdentity("token-lifecycle-start", "scheduler").StartNow());
            q.AddJob<ProcessDueJobsJob>(j => j.WithIdentity(ProcessDueJobsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ProcessDueJobsJob.Key).WithIdentity("tick", "scheduler").WithCronSchedule(cron));
            // A node that starts (or restarts after a crash) runs at once: it takes over what a dead node left and
            // sets its one-shot wake-up, rather than waiting for the next cron tick.
            q.AddTrigger(t => t.ForJob(ProcessDueJobsJob.Key).WithIdentity("startup", "scheduler").StartNow());
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<AlertOutboxService>();
        services.AddHostedService<Dispatching.WorkerHeartbeatService>();
        services.AddHostedService<Persistence.Queue.QueueRollupService>();
        services.Replace(ServiceDescriptor.Singleton<IDispatchSignal, QuartzDispatchSignal>());
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

    /// <summary>The streaming dispatcher any host can run by sending ProcessDueJobs (the worker role does it on a timer).</summary>
    private static void AddDispatcher(IServiceCollection services, IConfiguration configuration)
    {
        var live = configuration.GetSection(PublishingOptions.Section).Get<PublishingOptions>()?.Mode is not PublishingMode.Sandbox;
        services.AddSingleton(sp => new PublishLimits(sp.GetRequiredService<IOptions<DispatcherOptions>>().Value, live));
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<FinishPipeline>();
        services.AddSingleton<WorkerActivity>();
        services.AddSingleton<StreamingDispatcher>();
        services.AddSingleton<IDispatcher>(sp => sp.GetRequiredService<StreamingDispatcher>());
    }

    private static void AddAlerts(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoggingAlertSink>();
        services.AddSingleton<WebhookAlertSink>();
        services.AddHttpClient(WebhookAlertSink.HttpClientName, (sp, client) => client.Timeout =
                TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds));
        services.AddSingleton<IAlertSink>(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Enabled
            ? sp.GetRequiredService<WebhookAlertSink>()
            : new NoRemoteAlertSink());
        services.AddSingleton<IAlertOutbox, SqlAlertOutbox>();
        services.AddSingleton<AlertOutboxSender>();
    }

    private static void AddPublishers(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublishingOptions>().Bind(configuration.GetSection(PublishingOptions.Section));
        Platforms.OAuth.OAuthRegistration.AddPlatformOptions(services, configuration);
        Platforms.OAuth.OAuthRegistration.AddConnections(services, configuration);
        services.AddOptions<SandboxOptions>()
            .Bind(configuration.GetSection(SandboxOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configuration.GetSection(PublishingOptions.Section).Get<PublishingOptions>()?.Mode is PublishingMode.Sandbox)
        {
            services.AddSingleton<SandboxLedger>();
            foreach (var platform in Enum.GetValues<Platform>())
            {
                services.AddSingleton<IPlatformPublisher>(sp => ActivatorUtilities.CreateInstance<SandboxPublisher>(sp, platform));
            }
        }
        else
        {
            services.AddLivePublishers(configuration);
        }

        // Sandbox mode renews nothing: tokens there are not real.
        services.TryAddSingleton<Application.SocialAccounts.CheckTokenExpiries.ITokenRefresher, Platforms.NoTokenRefresher>();
        // Nor does it ask about pasted tokens.
        services.TryAddSingleton<Application.SocialAccounts.ConnectSocialAccount.ITokenVerifier, Platforms.NoTokenVerifier>();
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
                    mysql.ExecutionStrategy(dependencies => new SchedulerExecutionStrategy(dependencies, database.MaxRetryCount));
                }
            });

        options.AddInterceptors(Persistence.Queue.PostCountsInterceptor.Instance);

        // One log line per failure: a failed save or command travels on as an exception, which the mediator's logging
        // behaviour (or the dispatcher) logs once, with the use case's name; EF's own lines about it are debug.
        options.ConfigureWarnings(w => w.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug)));
    }
}
