using System.Net.Http.Headers;
using System.Text.Json;

namespace Scheduler.Infrastructure.Platforms.Meta;

/// <summary>One Graph API call, as Facebook and Instagram both make it: Bearer token, optional form, classified answer.</summary>
public static class GraphApi
{
    public static async Task<(JsonElement? Body, Application.Dispatching.PublishOutcome? Refusal)> SendAsync(
        HttpClient client,
        HttpMethod method,
        string path,
        string token,
        IEnumerable<KeyValuePair<string, string>>? form,
        bool isPublish,
        DateTimeOffset now,
        string platform,
        CancellationToken ct)
    {
        using var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (form is not null)
        {
            message.Content = new FormUrlEncodedContent(form);
        }

        try
        {
            using var answer = await client.SendAsync(message, ct);
            var response = await PlatformResponse.ReadAsync(answer, ct);
            return response.IsSuccess
                ? (response.Json(), null)
                : (null, MetaErrorClassifier.Classify(response.Status, response.Body, response.Headers, now, isPublish));
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return (null, TransportFailures.Classify(ex, platform, isPublish));
        }
    }
}
