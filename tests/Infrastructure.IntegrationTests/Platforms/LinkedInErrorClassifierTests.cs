using System.Net;
using Scheduler.Application.Dispatching;
using Scheduler.Infrastructure.Platforms.LinkedIn;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

public sealed class LinkedInErrorClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<int, string, Type> Rows() => new()
    {
        { 429, """{"message":"Resource level throttle limit for calls to this resource is reached.","serviceErrorCode":101,"status":429}""", typeof(PublishOutcome.RateLimited) },
        { 401, """{"serviceErrorCode":65600,"message":"Invalid access token","status":401}""", typeof(PublishOutcome.AuthInvalid) },
        { 401, """{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"The token used in the request has been revoked by the user"}""", typeof(PublishOutcome.AuthInvalid) },
        { 401, """{"status":401,"serviceErrorCode":65602,"code":"EXPIRED_ACCESS_TOKEN","message":"The token used in the request has expired"}""", typeof(PublishOutcome.AuthInvalid) },
        { 400, """{"status":400,"code":"ILLEGAL_ARGUMENT","message":"Request body could not be converted to data map"}""", typeof(PublishOutcome.Permanent) },
        { 403, """{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions"}""", typeof(PublishOutcome.Permanent) },
        { 422, """{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}""", typeof(PublishOutcome.Duplicate) },
        { 422, """{"errorDetails":{"inputErrors":[{"code":"DUPLICATE_POST"}]},"status":422}""", typeof(PublishOutcome.Duplicate) },
        { 422, """{"message":"ERROR :: /author :: field is required but not found and has no default value","status":422}""", typeof(PublishOutcome.Permanent) },
        { 426, """{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20250401 is not active"}""", typeof(PublishOutcome.Misconfigured) },
        { 500, "", typeof(PublishOutcome.Unknown) },
        { 504, "", typeof(PublishOutcome.Unknown) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Classify_PublishCall(int status, string body, Type expected)
    {
        Assert.IsType(expected, LinkedInErrorClassifier.Classify((HttpStatusCode)status, body, null, Now, isPublish: true, "202606"));
    }

    [Fact]
    public void Duplicate_NamesThePostItDuplicates_ForThePublisherToCheck()
    {
        const string body = """{"message":"Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"code":"DUPLICATE_POST"}]}}""";
        Assert.IsType<PublishOutcome.Duplicate>(
            LinkedInErrorClassifier.Classify(HttpStatusCode.UnprocessableEntity, body, null, Now, isPublish: true, "202606"));
        Assert.Equal("urn:li:share:7141138937766391808", LinkedInErrorClassifier.DuplicateOf(body));
        Assert.Null(LinkedInErrorClassifier.DuplicateOf("""{"message":"urn:li:share:1 is fine","status":422}"""));
    }

    [Fact]
    public void RateLimit_HonoursRetryAfter_ElseDoublesEachTimeInARow()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(90));

        var with = Assert.IsType<PublishOutcome.RateLimited>(
            LinkedInErrorClassifier.Classify(HttpStatusCode.TooManyRequests, "", response.Headers, Now, true, "202606"));
        var waits = Enumerable.Range(0, 4).Select(previous => Assert.IsType<PublishOutcome.RateLimited>(
            LinkedInErrorClassifier.Classify(HttpStatusCode.TooManyRequests, "", null, Now, true, "202606", previous)).Until - Now);

        Assert.Equal(Now.AddSeconds(90), with.Until);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)], waits);
    }

    [Fact]
    public void RateLimit_PastTheDailyLimit_WaitsForTheResetAtMidnightUtc()
    {
        var midnight = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(midnight - Now, LinkedInErrorClassifier.Throttle(LinkedInErrorClassifier.ThrottlesBeforeDailyLimit, Now));
        // Never past the reset: at 23:58 a 16-minute wait becomes 2 minutes.
        Assert.Equal(TimeSpan.FromMinutes(2), LinkedInErrorClassifier.Throttle(5, midnight.AddMinutes(-2)));
    }

    [Fact]
    public void A5xxOnARead_IsTransient()
    {
        Assert.IsType<PublishOutcome.Transient>(
            LinkedInErrorClassifier.Classify(HttpStatusCode.ServiceUnavailable, "", null, Now, isPublish: false, "202606"));
    }

    [Fact]
    public void RetiredVersion_IsAConfigurationProblem_NamingTheSetting()
    {
        var outcome = Assert.IsType<PublishOutcome.Misconfigured>(
            LinkedInErrorClassifier.Classify((HttpStatusCode)426, "{}", null, Now, isPublish: true, "202501"));
        Assert.Equal("Platforms:LinkedIn:Version", outcome.Setting);
        Assert.Contains("202501", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(Now + LinkedInErrorClassifier.MisconfiguredRecheck, outcome.Until);
    }
}
