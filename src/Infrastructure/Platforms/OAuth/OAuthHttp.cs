using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scheduler.Application.Connections;

namespace Scheduler.Infrastructure.Platforms.OAuth;

/// <summary>
/// The calls of a consent flow. Codes and secrets travel in them, so the clients log no request lines, and nothing is
/// retried: a code is good for one exchange only.
/// </summary>
internal static class OAuthHttp
{
    public const string FacebookClient = "oauth-facebook";
    public const string InstagramClient = "oauth-instagram";
    public const string LinkedInClient = "oauth-linkedin";

    public static async Task<JsonElement> SendAsync(
        HttpClient client, HttpRequestMessage request, string platform, Func<PlatformResponse, string> refusal, CancellationToken ct)
    {
        PlatformResponse response;
        try
        {
            using (request)
            {
                using var answer = await client.SendAsync(request, ct);
                response = await PlatformResponse.ReadAsync(answer, ct);
            }
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            throw new OAuthExchangeException("platform_unavailable", $"{platform} could not be reached ({ex.GetType().Name}); try again.", ex);
        }

        if (!response.IsSuccess)
        {
            throw new OAuthExchangeException("exchange_failed", $"{platform} refused: {refusal(response)}");
        }

        try
        {
            return response.Json();
        }
        catch (JsonException ex)
        {
            throw new OAuthExchangeException("exchange_failed", $"{platform} answered with something other than JSON.", ex);
        }
    }

    public static HttpRequestMessage Get(string url, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    public static HttpRequestMessage PostForm(string url, IEnumerable<KeyValuePair<string, string>> form) =>
        new(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };

    public static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    public static string? Text(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    public static long? Number(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            }
            : null;

    public static string Required(this JsonElement element, string property, string platform) =>
        element.Text(property) is { Length: > 0 } value
            ? value
            : throw new OAuthExchangeException("exchange_failed", $"{platform} answered without {property}.");

    /// <summary><c>appsecret_proof</c>: the HMAC-SHA256 of the token keyed with the app secret, in lower-case hex.</summary>
    public static string AppSecretProof(string appSecret, string accessToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken)));
}
