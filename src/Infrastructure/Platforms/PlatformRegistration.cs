using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Platforms.Facebook;
using Scheduler.Infrastructure.Platforms.Instagram;
using Scheduler.Infrastructure.Platforms.LinkedIn;
using Scheduler.Infrastructure.Platforms.OAuth;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>The live publishers and their HTTP clients.</summary>
public static class PlatformRegistration
{
    /// <summary>Retries of a read (publishing calls are never retried here).</summary>
    public const int ReadRetries = 2;

    /// <summary>A call with its retries may take this many attempt timeouts in all.</summary>
    public const int TotalTimeoutInAttempts = ReadRetries + 2;

    /// <summary>The circuit breaker samples at least this long (and at least two attempt timeouts).</summary>
    public static readonly TimeSpan MinBreakerSampling = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddLivePublishers(this IServiceCollection services, IConfiguration configuration)
    {
        AddClient<FacebookOptions>(services, FacebookPublisher.HttpClientName).AddHttpMessageHandler<OAuth.AppSecretProofHandler>();
        services.AddSingleton<IPlatformPublisher, FacebookPublisher>();

        // Instagram through Facebook Login is the Graph host: the same app, the same proof.
        AddClient<InstagramOptions>(services, InstagramPublisher.HttpClientName).AddHttpMessageHandler<OAuth.AppSecretProofHandler>();
        AddClient<InstagramOptions>(services, InstagramPublisher.InstagramLoginClientName, o => o.InstagramLoginBaseUrl);
        services.AddSingleton<IPlatformPublisher, InstagramPublisher>();
        // The refresh API takes the token in the query string: this client logs no request lines.
        services.AddHttpClient(InstagramTokenRefresher.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.BaseAddress =
                new Uri(sp.GetRequiredService<IOptions<InstagramOptions>>().Value.InstagramLoginBaseUrl.TrimEnd('/') + "/"))
            .RemoveAllLoggers();
        services.AddSingleton<InstagramTokenRefresher>();
        services.AddSingleton<LinkedInTokenRefresher>();
        services.AddSingleton<Application.SocialAccounts.CheckTokenExpiries.ITokenRefresher>(sp => new TokenRefreshers(
            [sp.GetRequiredService<InstagramTokenRefresher>(), sp.GetRequiredService<LinkedInTokenRefresher>()]));
        services.AddTokenVerification();

        AddClient<LinkedInOptions>(services, LinkedInPublisher.HttpClientName);
        services.AddSingleton<IPlatformPublisher, LinkedInPublisher>();

        // Fetching the media a post links to (for platforms that take bytes, not URLs): a plain GET, retried, to public
        // addresses only.
        services.AddHttpClient(LinkedInPublisher.MediaClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => Media.PublicAddresses.Handler(configuration.GetValue<bool>(Media.MediaRegistration.AllowPrivateNetworks)))
            .AddStandardResilienceHandler();
        return services;
    }

    /// <summary>
    /// One resilient client per platform: an attempt timeout, a circuit breaker of its own, and retries only for
    /// requests that are safe to repeat (reads); a publish POST is never retried here: the dispatcher decides.
    /// </summary>
    private static IHttpClientBuilder AddClient<TOptions>(IServiceCollection services, string name, Func<TOptions, string>? baseUrl = null)
        where TOptions : PlatformOptions
    {
        var builder = services.AddHttpClient(name);
        builder.ConfigureHttpClient((sp, client) =>
            {
                var platform = sp.GetRequiredService<IOptions<TOptions>>().Value;
                client.BaseAddress = new Uri((baseUrl?.Invoke(platform) ?? platform.BaseUrl).TrimEnd('/') + "/");
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns time
            })
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var attempt = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TOptions>>().Value.AttemptTimeoutSeconds);
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.Retry.MaxRetryAttempts = ReadRetries;
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.TotalRequestTimeout.Timeout = attempt * TotalTimeoutInAttempts;
                resilience.CircuitBreaker.SamplingDuration = attempt * 2 > MinBreakerSampling ? attempt * 2 : MinBreakerSampling;
            });
        return builder;
    }
}
