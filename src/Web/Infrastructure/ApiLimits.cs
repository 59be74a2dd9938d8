using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Scheduler.Web.Infrastructure;

/// <summary>
/// <c>RateLimiting:*</c>: each company's API calls are limited by a token bucket (a burst of
/// <see cref="BurstPerCompany"/>, refilled at <see cref="RequestsPerSecondPerCompany"/>); a caller without a company
/// claim is limited by its address. Health, metrics and the API description are not limited.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    [Range(1, 100_000)]
    public int RequestsPerSecondPerCompany { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int BurstPerCompany { get; set; } = 1_000;
}

/// <summary><c>Cors:AllowedOrigins</c>: browser origins allowed to call the API. None (the default): no CORS at all.</summary>
public sealed class CorsOptions
{
    public const string Section = "Cors";

    public string[] AllowedOrigins { get; set; } = [];
}

public static class ApiLimits
{
    public const string CompanyPolicy = "per-company";
    public const string CorsPolicy = "configured-origins";

    public static IServiceCollection AddApiLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>().Bind(configuration.GetSection(RateLimitingOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(CompanyPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                if (!settings.Enabled)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }

                var company = context.User.FindFirst(AuthOptions.CompanyClaim)?.Value;
                var key = company is not null ? $"company:{company}" : $"address:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.BurstPerCompany,
                    TokensPerPeriod = settings.RequestsPerSecondPerCompany,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This company's request rate is over its limit; retry in {seconds} s.",
                    },
                });
            };
        });

        var origins = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        if (origins.Length > 0)
        {
            services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("Location", "Retry-After")));
        }

        return services;
    }

    /// <summary>
    /// Response headers for every answer (<c>nosniff</c>, no framing, no referrer), HSTS outside Development, and CORS
    /// when origins are configured. The rate limiter comes after authentication (its partition is the company).
    /// </summary>
    public static WebApplication UseApiLimits(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        if ((app.Configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? []).Length > 0)
        {
            app.UseCors(CorsPolicy);
        }

        return app;
    }
}
