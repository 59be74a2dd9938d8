using System.Net.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>
/// A call that got no HTTP answer. If the request cannot have left (no connection, open circuit) it is transient;
/// otherwise a publish call may have reached the platform, so it is unknown and gets reconciled, never blindly retried.
/// </summary>
public static class TransportFailures
{
    public static PublishOutcome Classify(Exception exception, string platform, bool isPublish) => exception switch
    {
        BrokenCircuitException => new PublishOutcome.Transient($"{platform} is failing; its circuit breaker is open."),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } =>
            new PublishOutcome.Transient($"Could not connect to {platform}: {exception.Message}"),
        TimeoutRejectedException or TaskCanceledException or HttpRequestException or IOException when isPublish =>
            new PublishOutcome.Unknown($"No answer from {platform} after the request was sent: {exception.Message}"),
        TimeoutRejectedException or TaskCanceledException or HttpRequestException or IOException =>
            new PublishOutcome.Transient($"No answer from {platform}: {exception.Message}"),
        _ => throw new InvalidOperationException($"Not a transport failure: {exception.GetType().Name}", exception),
    };

    public static bool IsTransport(Exception exception) =>
        exception is BrokenCircuitException or TimeoutRejectedException or HttpRequestException or IOException
            or TaskCanceledException;
}
