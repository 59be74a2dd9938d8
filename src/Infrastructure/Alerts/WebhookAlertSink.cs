using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Domain.Common;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>
/// POSTs each alert as JSON to <c>Alerts:Webhook:Url</c>, signed like common webhook providers: the
/// <c>X-Scheduler-Signature</c> header is <c>sha256=</c> + hex HMAC-SHA256 of <c>{timestamp}.{body}</c> with the shared
/// secret, and <c>X-Scheduler-Timestamp</c> (unix seconds) lets the receiver refuse replays. <c>X-Scheduler-Delivery</c>
/// is the outbox row's id: the same on every attempt, for the receiver to de-duplicate on. A delivery that fails throws
/// <see cref="AlertDeliveryException"/>: the outbox tries again later; the work that raised the alert is long committed.
/// </summary>
public sealed class WebhookAlertSink(IHttpClientFactory http, IOptions<WebhookOptions> options, TimeProvider clock) : IAlertSink
{
    public const string HttpClientName = "alerts-webhook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task PostFailedAsync(PostFailedAlert alert, CancellationToken cancellationToken) =>
        SendAsync("post_failed", alert, cancellationToken);

    public Task AccountNeedsReconnectAsync(AccountNeedsReconnectAlert alert, CancellationToken cancellationToken) =>
        SendAsync("account_needs_reconnect", new
        {
            alert.AccountId,
            alert.CompanyId,
            Platform = EnumNames.Of(alert.Platform),
            alert.Reason,
            alert.At,
        }, cancellationToken);

    public Task AccountTokenExpiringAsync(AccountTokenExpiringAlert alert, CancellationToken cancellationToken) =>
        SendAsync("account_token_expiring", new
        {
            alert.AccountId,
            alert.CompanyId,
            Platform = EnumNames.Of(alert.Platform),
            alert.ExpiresAt,
            alert.At,
        }, cancellationToken);

    public Task PlatformMisconfiguredAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken) =>
        SendAsync("platform_misconfigured", new { Platform = EnumNames.Of(alert.Platform), alert.Setting, alert.Reason, alert.At }, cancellationToken);

    public Task FirstCommentFailedAsync(FirstCommentFailedAlert alert, CancellationToken cancellationToken) =>
        SendAsync("first_comment_failed", new
        {
            alert.PostId,
            alert.CompanyId,
            Platform = EnumNames.Of(alert.Platform),
            alert.ExternalPostId,
            alert.Reason,
            alert.At,
        }, cancellationToken);

    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    private async Task SendAsync(string type, object alert, CancellationToken ct)
    {
        var settings = options.Value;
        var delivery = AlertDeliveryContext.Current ?? Guid.CreateVersion7();
        var body = JsonSerializer.Serialize(new { type, delivery, alert }, Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-Scheduler-Event", type);
        request.Headers.Add("X-Scheduler-Delivery", delivery.ToString());
        request.Headers.Add("X-Scheduler-Timestamp", timestamp);
        request.Headers.Add("X-Scheduler-Signature", Sign(settings.Secret!, timestamp, body));
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
                                       or Polly.CircuitBreaker.BrokenCircuitException && !ct.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"The alert webhook could not be reached for {type} delivery {delivery}: {ex.Message}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AlertDeliveryException($"The alert webhook refused {type} delivery {delivery}: HTTP {(int)response.StatusCode}");
            }
        }
    }
}
