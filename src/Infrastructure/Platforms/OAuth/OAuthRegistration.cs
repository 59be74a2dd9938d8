using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Application.Connections;

namespace Scheduler.Infrastructure.Platforms.OAuth;

public static class OAuthRegistration
{
    /// <summary>One call of a flow: the person is waiting in the browser.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The consent flows of the three platforms, whatever the publishing mode: connecting an account does not publish.
    /// Their clients log no request lines (codes, secrets and tokens travel in query strings) and retry nothing.
    /// </summary>
    public static IServiceCollection AddConnections(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConnectionOptions>().Bind(configuration.GetSection(ConnectionOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.HasValidRedirectBaseUrl, "Connections:RedirectBaseUrl must be an absolute http(s) URL without query or fragment.")
            .ValidateOnStart();
        services.AddTransient<AppSecretProofHandler>();
        foreach (var name in new[] { OAuthHttp.FacebookClient, OAuthHttp.InstagramClient, OAuthHttp.LinkedInClient })
        {
            var client = services.AddHttpClient(name, c => c.Timeout = CallTimeout).RemoveAllLoggers();
            if (name == OAuthHttp.FacebookClient)
            {
                client.AddHttpMessageHandler<AppSecretProofHandler>();
            }
        }

        services.AddSingleton<IOAuthProvider, FacebookOAuthProvider>();
        services.AddSingleton<IOAuthProvider, InstagramOAuthProvider>();
        services.AddSingleton<IOAuthProvider, LinkedInOAuthProvider>();
        return services;
    }

    /// <summary>Pasted tokens are checked with the platform (live mode only: sandbox tokens are not real).</summary>
    public static IServiceCollection AddTokenVerification(this IServiceCollection services)
    {
        services.AddSingleton<Application.SocialAccounts.ConnectSocialAccount.ITokenVerifier, PlatformTokenVerifier>();
        return services;
    }

    /// <summary>Each platform's options (hosts, version, app credentials), validated at start.</summary>
    public static IServiceCollection AddPlatformOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FacebookOptions>().Bind(configuration.GetSection(FacebookOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InstagramOptions>().Bind(configuration.GetSection(InstagramOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LinkedInOptions>().Bind(configuration.GetSection(LinkedInOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
