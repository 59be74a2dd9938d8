using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Application.Dispatching;

namespace Scheduler.Application;

public static class DependencyInjection
{
    /// <summary>Validators and the tenant context. The mediator and options are added by AddScheduler.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        ValidationConventions.Apply();

        services.AddValidatorsFromAssemblyContaining<CompanyContext>(ServiceLifetime.Scoped, includeInternalTypes: false);
        services.AddScoped<CompanyContext>();
        services.AddScoped<ICurrentCompany>(sp => sp.GetRequiredService<CompanyContext>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<RequestClock>();
        services.AddScoped<Common.Behaviours.IdempotencyReservations>();
        services.AddSingleton<PublishAttempt>();
        services.TryAddSingleton<IJitter, RandomJitter>();
        services.AddScoped<Posts.MediaPreflight.MediaPreflight>();
        services.AddScoped<Posts.MediaPreflight.MediaPreflightReport>();
        services.AddScoped<Posts.Quotas.PublishingQuota>();
        services.AddSingleton<Dispatching.Alerts.MisconfigurationAlerts>();
        services.AddScoped<JobFinisher>();

        return services;
    }
}
