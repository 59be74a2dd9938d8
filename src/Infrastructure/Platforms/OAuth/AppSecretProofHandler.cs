using Microsoft.Extensions.Options;

namespace Scheduler.Infrastructure.Platforms.OAuth;

/// <summary>
/// Adds <c>appsecret_proof</c> to every Graph call made with a Bearer token when the app secret is configured, so a
/// token stolen from this service cannot be used from elsewhere once the app requires the proof.
/// </summary>
internal sealed class AppSecretProofHandler(IOptionsMonitor<FacebookOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.AppSecret is { Length: > 0 } secret
            && request.Headers.Authorization is { Scheme: "Bearer", Parameter: { Length: > 0 } token }
            && request.RequestUri is { } uri
            && !uri.Query.Contains("appsecret_proof=", StringComparison.Ordinal))
        {
            var proof = "appsecret_proof=" + OAuthHttp.AppSecretProof(secret, token);
            var query = uri.Query.Length > 1 ? uri.Query + "&" + proof : "?" + proof;
            request.RequestUri = new UriBuilder(uri) { Query = query[1..] }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
