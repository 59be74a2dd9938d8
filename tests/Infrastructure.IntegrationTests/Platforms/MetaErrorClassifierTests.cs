using System.Net;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

public sealed class MetaErrorClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static string Error(int code, int? subcode = null, bool? transient = null)
    {
        var sub = subcode is { } s ? $",\"error_subcode\":{s}" : string.Empty;
        var flag = transient is { } t ? $",\"is_transient\":{(t ? "true" : "false")}" : string.Empty;
        return "{\"error\":{\"message\":\"(#" + code + ") message\",\"type\":\"OAuthException\",\"code\":" + code + sub + flag
               + ",\"fbtrace_id\":\"AbC\"}}";
    }

    private static string Error(int code, int? subcode, string message) =>
        "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
        + (subcode is { } s ? ",\"error_subcode\":" + s : string.Empty) + ",\"fbtrace_id\":\"AbC\"}}";

    // One row per line of the classification table (docs/platforms.md): the answer, its outcome on the call that makes
    // a post live, and on any other call.
    public static TheoryData<int, string, Type, Type> Rows() => new()
    {
        // Codes 1 and 2 and is_transient may come after the post went out: reconciled on a publish call.
        { 500, Error(1), typeof(PublishOutcome.Unknown), typeof(PublishOutcome.Transient) },
        { 503, Error(2), typeof(PublishOutcome.Unknown), typeof(PublishOutcome.Transient) },
        { 400, Error(12345, transient: true), typeof(PublishOutcome.Unknown), typeof(PublishOutcome.Transient) },
        { 403, Error(4, transient: true), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(17), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(32), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(613), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(341), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(80001), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(80002), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(80014), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(9, 2207042), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(190, 463), typeof(PublishOutcome.AuthInvalid), typeof(PublishOutcome.AuthInvalid) },
        { 400, Error(190, 460), typeof(PublishOutcome.AuthInvalid), typeof(PublishOutcome.AuthInvalid) },
        { 400, Error(190), typeof(PublishOutcome.AuthInvalid), typeof(PublishOutcome.AuthInvalid) },
        { 400, Error(102), typeof(PublishOutcome.AuthInvalid), typeof(PublishOutcome.AuthInvalid) },
        { 403, Error(10), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 403, Error(200), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 403, Error(299), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(100), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(506), typeof(PublishOutcome.Duplicate), typeof(PublishOutcome.Duplicate) },
        // 368: "posting too fast" waits; "already posted" is reconciled; any other block fails this post only.
        { 400, Error(368, 1390008), typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 400, Error(368, null, "(#368) This status update has already been posted"), typeof(PublishOutcome.Duplicate), typeof(PublishOutcome.Duplicate) },
        { 400, Error(368), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        // Photos refused because the post they were attached to went live: an earlier attempt published.
        { 400, Error(100, 1366051), typeof(PublishOutcome.Duplicate), typeof(PublishOutcome.Duplicate) },
        { 400, Error(-1, 2207001), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        { 400, Error(-2, 2207003), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        { 400, Error(24, 2207008), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        { 400, Error(-2, 2207020), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        { 400, Error(-1, 2207032), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        { 400, Error(-1, 2207053), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        { 400, Error(9007, 2207027), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        // The media could not be fetched: nothing was published.
        { 400, Error(9004, 2207052), typeof(PublishOutcome.Transient), typeof(PublishOutcome.Transient) },
        // Restricted as spam arrives with the rate-limit code 4 but is no throttle.
        { 400, Error(4, 2207051, transient: false), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(1, 2207057), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(25, 2207050), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(36000, 2207004), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(352, 2207026), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 400, Error(12345), typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
        { 502, "<html>Bad gateway</html>", typeof(PublishOutcome.Unknown), typeof(PublishOutcome.Transient) },
        { 429, "", typeof(PublishOutcome.RateLimited), typeof(PublishOutcome.RateLimited) },
        { 404, "", typeof(PublishOutcome.Permanent), typeof(PublishOutcome.Permanent) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Classify(int status, string body, Type onPublish, Type onOtherCalls)
    {
        Assert.IsType(onPublish, MetaErrorClassifier.Classify((HttpStatusCode)status, body, null, Now, isPublish: true));
        Assert.IsType(onOtherCalls, MetaErrorClassifier.Classify((HttpStatusCode)status, body, null, Now, isPublish: false));
    }

    [Fact]
    public void Code368_NeverPausesTheAccount_ButARestrictedInstagramAccountIs()
    {
        var blocked = Assert.IsType<PublishOutcome.Permanent>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadRequest, Error(368), null, Now, isPublish: true));
        var restricted = Assert.IsType<PublishOutcome.Permanent>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadRequest, Error(25, 2207050), null, Now, isPublish: true));

        Assert.False(blocked.PauseAccount);
        Assert.True(restricted.PauseAccount);
    }

    [Fact]
    public void PostingTooFast_WaitsAnHour()
    {
        var outcome = Assert.IsType<PublishOutcome.RateLimited>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadRequest, Error(368, 1390008), null, Now, isPublish: true));
        Assert.Equal(Now + MetaErrorClassifier.PostingTooFast, outcome.Until);
    }

    [Theory]
    [InlineData("Error: Media upload has failed with error code 2207082", 2207082, true)]
    [InlineData("Error: Media upload has failed with error code 2207026", 2207026, false)]
    [InlineData("Error", null, false)]
    public void AContainerInError_IsRetriedOnlyForTheDocumentedSubcodes(string status, int? subcode, bool retryable)
    {
        Assert.Equal(subcode, MetaErrorClassifier.ContainerErrorSubcode(status));
        Assert.Equal(retryable, MetaErrorClassifier.IsRetryableContainerError(MetaErrorClassifier.ContainerErrorSubcode(status)));
    }

    [Fact]
    public void RateLimits_UseTheBusinessUseCaseRegainTime_ElseTheDefault()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
        response.Headers.Add("X-Business-Use-Case-Usage",
            """{"112130216863063":[{"type":"pages","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":42}]}""");

        var throttled = Assert.IsType<PublishOutcome.RateLimited>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadRequest, Error(32), response.Headers, Now, isPublish: true));
        var bare = Assert.IsType<PublishOutcome.RateLimited>(
            MetaErrorClassifier.Classify(HttpStatusCode.Forbidden, Error(4), null, Now, isPublish: true));
        var daily = Assert.IsType<PublishOutcome.RateLimited>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadRequest, Error(9, 2207042), null, Now, isPublish: true));

        Assert.Equal(Now.AddMinutes(42), throttled.Until);
        Assert.Equal(Now + MetaErrorClassifier.DefaultThrottle, bare.Until);
        Assert.Equal(Now + MetaErrorClassifier.DailyLimitRecheck, daily.Until);
    }

    [Fact]
    public void GraphError_ParsesTheEnvelope_AndIgnoresUnknownKeys()
    {
        var error = GraphError.TryParse("""{"error":{"message":"The image size is too large.","type":"OAuthException","code":36000,"error_subcode":2207004,"is_transient":false,"error_user_title":"Image size too large","error_user_msg":"It should be less than 8 MiB.","fbtrace_id":"A6L","extra":1}}""");
        Assert.Equal(new GraphError(36000, 2207004, "The image size is too large.", "OAuthException", false, "It should be less than 8 MiB."), error);
        Assert.Null(GraphError.TryParse("not json"));
        Assert.Null(GraphError.TryParse("""{"id":"1_2"}"""));
    }
}
