using System.Net.Http.Headers;
using System.Text.Json;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms.Meta;

/// <summary>
/// A Graph API answer: the body of a success, or the outcome it means for the post and the parsed error (some answers
/// need more than the outcome: which Instagram container to drop, which read to repeat).
/// </summary>
public readonly record struct GraphAnswer(JsonElement? Body, PublishOutcome? Refusal, GraphError? Error)
{
    public string Id => Body!.Value.GetProperty("id").GetString()!;
}

/// <summary>One Graph API call, as Facebook and Instagram both make it: Bearer token, optional form, classified answer.</summary>
public static class GraphApi
{
    public static async Task<GraphAnswer> SendAsync(
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
                ? new GraphAnswer(response.Json(), null, null)
                : new GraphAnswer(
                    null,
                    MetaErrorClassifier.Classify(response.Status, response.Body, response.Headers, now, isPublish),
                    GraphError.TryParse(response.Body));
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return new GraphAnswer(null, TransportFailures.Classify(ex, platform, isPublish), null);
        }
    }
}
