using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Posts.MediaPreflight;

namespace Scheduler.Infrastructure.Media;

public static class MediaRegistration
{
    /// <summary>The setting that lets media fetches reach loopback and private addresses (development against local files).</summary>
    public const string AllowPrivateNetworks = "Media:AllowPrivateNetworks";

    /// <summary>
    /// The client that asks media hosts about files. Like every fetch of a caller's URL, it reaches public addresses
    /// only, unless <see cref="AllowPrivateNetworks"/> is set.
    /// </summary>
    public static IServiceCollection AddMediaProbe(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient(HttpMediaProbe.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => PublicAddresses.Handler(configuration.GetValue<bool>(AllowPrivateNetworks)));
        services.AddSingleton<IMediaProbe, HttpMediaProbe>();
        services.AddHttpClient(LinkPreviews.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => PublicAddresses.Handler(configuration.GetValue<bool>(AllowPrivateNetworks)));
        services.AddSingleton<LinkPreviews>();
        return services;
    }
}
