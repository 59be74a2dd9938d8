using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms.LinkedIn;

/// <summary>How Scheduler treats each answer of LinkedIn's versioned REST API.</summary>
public static partial class LinkedInErrorClassifier
{
    /// <summary>The setting a 426 (retired version) points operators to.</summary>
    public const string VersionSetting = "Platforms:LinkedIn:Version";

    /// <summary>The first wait after a 429; each further 429 in a row doubles it.</summary>
    public static readonly TimeSpan FirstThrottle = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After this many 429s in a row (waits of 1 + 2 + … + 32 min, about an hour of refusals) the daily limit is taken
    /// to be spent: the post waits for the reset at 00:00 UTC.
    /// </summary>
    public const int ThrottlesBeforeDailyLimit = 6;

    /// <summary>How long posts wait while the configured API version is refused, before trying it again.</summary>
    public static readonly TimeSpan MisconfiguredRecheck = TimeSpan.FromMinutes(15);

    /// <param name="previousThrottles">429s in a row this post already met (its platform state keeps the count).</param>
    public static PublishOutcome Classify(
        HttpStatusCode status, string? body, HttpResponseHeaders? headers, DateTimeOffset now, bool isPublish, string version,
        int previousThrottles = 0)
    {
        var detail = string.IsNullOrWhiteSpace(body) ? $"HTTP {(int)status}" : $"HTTP {(int)status}: {Shorten(body)}";
        return status switch
        {
            HttpStatusCode.TooManyRequests => new PublishOutcome.RateLimited(
                $"LinkedIn throttled the call ({detail})", now + (RetryAfter(headers, now) ?? Throttle(previousThrottles + 1, now))),
            HttpStatusCode.Unauthorized => new PublishOutcome.AuthInvalid($"LinkedIn refused the token ({detail})"),
            HttpStatusCode.UnprocessableEntity when DuplicateOf(body) is { } urn => new PublishOutcome.Duplicate(
                $"LinkedIn reports the content duplicates {urn}"),
            HttpStatusCode.UnprocessableEntity when body?.Contains("DUPLICATE_POST", StringComparison.Ordinal) == true =>
                new PublishOutcome.Duplicate($"LinkedIn reports a duplicate post ({detail})"),
            (HttpStatusCode)426 => new PublishOutcome.Misconfigured(
                $"LinkedIn API version {version} is no longer active; set {VersionSetting} to a current YYYYMM ({detail})",
                VersionSetting,
                now + MisconfiguredRecheck),
            >= HttpStatusCode.InternalServerError when isPublish => new PublishOutcome.Unknown($"LinkedIn failed while publishing ({detail})"),
            >= HttpStatusCode.InternalServerError => new PublishOutcome.Transient($"LinkedIn failed ({detail})"),
            _ => new PublishOutcome.Permanent($"LinkedIn refused the post ({detail})"),
        };
    }

    /// <summary>The post a 422 <c>DUPLICATE_POST</c> names ("Content is a duplicate of urn:li:share:…"), if any.</summary>
    public static string? DuplicateOf(string? body) =>
        body?.Contains("DUPLICATE_POST", StringComparison.Ordinal) == true && DuplicateUrn().Match(body) is { Success: true } urn
            ? urn.Value
            : null;

    /// <summary>
    /// LinkedIn sends no Retry-After: the n-th 429 in a row waits 2^(n−1) minutes, never past the daily reset at
    /// 00:00 UTC, and from the <see cref="ThrottlesBeforeDailyLimit"/>-th on it waits for that reset.
    /// </summary>
    public static TimeSpan Throttle(int throttles, DateTimeOffset now)
    {
        var reset = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now;
        if (throttles >= ThrottlesBeforeDailyLimit)
        {
            return reset;
        }

        var wait = FirstThrottle * Math.Pow(2, Math.Max(throttles, 1) - 1);
        return wait < reset ? wait : reset;
    }

    private static TimeSpan? RetryAfter(HttpResponseHeaders? headers, DateTimeOffset now) =>
        headers?.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } when date > now => date - now,
            _ => null,
        };

    private static string Shorten(string body) => body.Length <= 500 ? body : body[..500] + "…";

    [GeneratedRegex(@"urn:li:(share|ugcPost):\d+", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateUrn();
}
