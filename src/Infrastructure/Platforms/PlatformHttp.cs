using System.Net.Http.Headers;
using System.Text.Json;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>One HTTP exchange with a platform: the status, the body read once, and the headers.</summary>
public sealed record PlatformResponse(System.Net.HttpStatusCode Status, string Body, HttpResponseHeaders Headers)
{
    public bool IsSuccess => (int)Status is >= 200 and <= 299;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public static async Task<PlatformResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Headers);
}

/// <summary>Reconciliation reads: an answer of some status, or <see cref="PlatformUnavailableException"/> for none.</summary>
public static class ReconciliationRead
{
    public static async Task<PlatformResponse> SendAsync(
        HttpClient client, HttpRequestMessage message, string platform, CancellationToken ct)
    {
        try
        {
            using var answer = await client.SendAsync(message, ct);
            return await PlatformResponse.ReadAsync(answer, ct);
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"{platform} could not be asked whether the post exists.", ex);
        }
    }
}

/// <summary>What a reconciliation may accept as this post's on the platform.</summary>
public static class Reconciliation
{
    /// <summary>How far a platform's clock may be behind ours when a post's creation time is compared.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The earliest creation time a platform post may have to be this post's: the post's own time or the attempt's
    /// start, whichever is earlier (no attempt runs before the post's time), less the clock skew.
    /// </summary>
    public static DateTimeOffset Earliest(Application.Dispatching.PublishRequest request, DateTimeOffset attemptStartedAt) =>
        (request.RunAt is { } runAt && runAt < attemptStartedAt ? runAt : attemptStartedAt) - ClockSkew;
}

/// <summary>A reconciliation read that could not answer: the caller must not conclude "not published".</summary>
public sealed class PlatformUnavailableException : Exception
{
    public PlatformUnavailableException()
    {
    }

    public PlatformUnavailableException(string message) : base(message)
    {
    }

    public PlatformUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
