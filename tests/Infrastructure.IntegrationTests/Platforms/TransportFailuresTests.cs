using System.Net.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Platforms;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

public sealed class TransportFailuresTests
{
    public static TheoryData<Exception, bool, Type> Rows() => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused"), true, typeof(PublishOutcome.Transient) },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), true, typeof(PublishOutcome.Transient) },
        { new BrokenCircuitException("open"), true, typeof(PublishOutcome.Transient) },
        { new TimeoutRejectedException("timed out"), true, typeof(PublishOutcome.Unknown) },
        { new TaskCanceledException("timed out"), true, typeof(PublishOutcome.Unknown) },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "reset"), true, typeof(PublishOutcome.Unknown) },
        { new IOException("connection reset by peer"), true, typeof(PublishOutcome.Unknown) },
        { new TimeoutRejectedException("timed out"), false, typeof(PublishOutcome.Transient) },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "reset"), false, typeof(PublishOutcome.Transient) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void AFailureAfterSendingAPublish_IsUnknown_NeverABlindRetry(Exception exception, bool isPublish, Type expected)
    {
        Assert.IsType(expected, TransportFailures.Classify(exception, "Facebook", isPublish));
    }
}
