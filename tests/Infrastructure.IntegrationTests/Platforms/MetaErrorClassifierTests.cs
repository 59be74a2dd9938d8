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

    // One row per line of the classification table (docs/platforms.md).
    public static TheoryData<int, string, Type> Rows() => new()
    {
        { 500, Error(1), typeof(PublishOutcome.Transient) },
        { 503, Error(2), typeof(PublishOutcome.Transient) },
        { 403, Error(4, transient: true), typeof(PublishOutcome.RateLimited) },
        { 400, Error(17), typeof(PublishOutcome.RateLimited) },
        { 400, Error(32), typeof(PublishOutcome.RateLimited) },
        { 400, Error(613), typeof(PublishOutcome.RateLimited) },
        { 400, Error(341), typeof(PublishOutcome.RateLimited) },
        { 400, Error(80001), typeof(PublishOutcome.RateLimited) },
        { 400, Error(80002), typeof(PublishOutcome.RateLimited) },
        { 400, Error(80014), typeof(PublishOutcome.RateLimited) },
        { 400, Error(9, 2207042), typeof(PublishOutcome.RateLimited) },
        { 400, Error(190, 463), typeof(PublishOutcome.AuthInvalid) },
        { 400, Error(190, 460), typeof(PublishOutcome.AuthInvalid) },
        { 400, Error(190), typeof(PublishOutcome.AuthInvalid) },
        { 400, Error(102), typeof(PublishOutcome.AuthInvalid) },
        { 403, Error(10), typeof(PublishOutcome.Permanent) },
        { 403, Error(200), typeof(PublishOutcome.Permanent) },
        { 403, Error(299), typeof(PublishOutcome.Permanent) },
        { 400, Error(100), typeof(PublishOutcome.Permanent) },
        { 400, Error(506), typeof(PublishOutcome.Duplicate) },
        { 400, Error(368), typeof(PublishOutcome.Permanent) },
        { 400, Error(-1, 2207001), typeof(PublishOutcome.Transient) },
        { 400, Error(-2, 2207003), typeof(PublishOutcome.Transient) },
        { 400, Error(9007, 2207027), typeof(PublishOutcome.Transient) },
        { 400, Error(36000, 2207004), typeof(PublishOutcome.Permanent) },
        { 400, Error(352, 2207026), typeof(PublishOutcome.Permanent) },
        { 400, Error(9004, 2207052), typeof(PublishOutcome.Permanent) },
        { 400, Error(12345, transient: true), typeof(PublishOutcome.Transient) },
        { 400, Error(12345), typeof(PublishOutcome.Permanent) },
        { 502, "<html>Bad gateway</html>", typeof(PublishOutcome.Unknown) },
        { 429, "", typeof(PublishOutcome.RateLimited) },
        { 404, "", typeof(PublishOutcome.Permanent) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Classify_PublishCall(int status, string body, Type expected)
    {
        var outcome = MetaErrorClassifier.Classify((HttpStatusCode)status, body, null, Now, isPublish: true);
        Assert.IsType(expected, outcome);
    }

    [Fact]
    public void Classify_A5xxWithoutVerdictOnARead_IsTransientNotUnknown()
    {
        Assert.IsType<PublishOutcome.Transient>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadGateway, "oops", null, Now, isPublish: false));
    }

    [Fact]
    public void Classify_Code368_PausesTheAccount()
    {
        var outcome = Assert.IsType<PublishOutcome.Permanent>(
            MetaErrorClassifier.Classify(HttpStatusCode.BadRequest, Error(368), null, Now, isPublish: true));
        Assert.True(outcome.PauseAccount);
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
