using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using Scheduler.Application.Common.Metrics;
using Scheduler.Infrastructure;
using Scheduler.Infrastructure.Persistence;
using Scheduler.Infrastructure.Scheduling;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web;

public static class DependencyInjection
{
    public const string TenantPolicy = "tenant";
    public const string OperatorPolicy = "operator";

    public const string ApproverPolicy = "approver";

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (SchedulerRoles.From(builder.Configuration).Worker)
        {
            services.AddSchedulerWorker(builder.Configuration);
        }

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = RequestSizeLimitMiddleware.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        services.AddApiLimits(builder.Configuration);

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.Value.SigningKey)),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(TenantPolicy, p => p.RequireAuthenticatedUser().RequireClaim(AuthOptions.CompanyClaim))
            .AddPolicy(OperatorPolicy, p => p.RequireAuthenticatedUser().RequireClaim(AuthOptions.RoleClaim, AuthOptions.OperatorRole))
            .AddPolicy(ApproverPolicy, p => p.RequireAuthenticatedUser().RequireClaim(AuthOptions.CompanyClaim).RequireClaim(AuthOptions.RoleClaim, AuthOptions.ApproverRole));

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("scheduler", serviceVersion: typeof(DependencyInjection).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddMeter(SchedulerMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                // Requests (not probes and scrapes), each claim and dispatch, and every platform call. Query strings are
                // redacted by the instrumentation (consent callbacks and token endpoints carry secrets there). Nothing
                // listens unless traces go somewhere: no spans are recorded on the claim loop and request path for nobody.
                if (!TracingEnabled(builder.Configuration))
                {
                    return;
                }

                tracing.AddSource(SchedulerTracing.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint]))
                {
                    tracing.AddOtlpExporter(); // endpoint, protocol and headers from the standard OTEL_* variables
                }
            });

        // The whole queue as gauges (due, oldest due age, processing, live workers, accounts to reconnect) for the alert rules.
        services.AddSingleton<Scheduler.Infrastructure.Persistence.Queue.QueueGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<Scheduler.Infrastructure.Persistence.Queue.QueueGauges>());

        services.AddHealthChecks().AddDbContextCheck<SchedulerDbContext>("database", tags: ["ready"]);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Scheduler API";
            document.Info.Description = "Schedule social-media posts for Facebook Pages, Instagram and LinkedIn.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose company_id claim names the tenant.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // One log line per failure: refusals are not errors, and the pipeline has logged what went through it.
            SuppressDiagnosticsCallback = c => ProblemDetailsExceptionHandler.IsExpected(c.Exception)
                                               || Application.Common.Behaviours.PipelineLog.Logged(c.Exception),
        });
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        app.UseApiLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        foreach (var (path, file) in new[] { ("/dashboard", "dashboard.html"), ("/connect", "connect.html") })
        {
            // Self-contained pages: the API token is pasted in the page and kept in the tab's session storage.
            app.MapGet(path, (IWebHostEnvironment environment) =>
                    TypedResults.PhysicalFile(Path.Combine(environment.WebRootPath, file), "text/html; charset=utf-8"))
                .ExcludeFromDescription()
                .AllowAnonymous();
        }
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") })
            .AllowAnonymous();
        return app;
    }

    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Traces are recorded when they are exported (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) or asked for (<c>Tracing:Enabled</c>).</summary>
    public static bool TracingEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]) || configuration.GetValue<bool>("Tracing:Enabled");

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    /// <summary>The API group every resource hangs from: authenticated, tenant-scoped, ProblemDetails on errors.</summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string tag) =>
        app.MapGroup(string.Empty)
            .WithTags(tag)
            .RequireAuthorization(TenantPolicy)
            .RequireRateLimiting(ApiLimits.CompanyPolicy)
            .AddEndpointFilter<TenantFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await DatabaseMigrator.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);
        }
    }
}
