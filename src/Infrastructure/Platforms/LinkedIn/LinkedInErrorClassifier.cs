using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms.LinkedIn;

/// <summary>How Scheduler treats each answer of LinkedIn's versioned REST API.</summary>
public static partial class LinkedInErrorClassifier
{
    public static readonly TimeSpan DefaultThrottle = TimeSpan.FromMinutes(5);

    public static PublishOutcome Classify(
        HttpStatusCode status, string? body, HttpResponseHeaders? headers, DateTimeOffset now, bool isPublish, string version)
    {
        var detail = string.IsNullOrWhiteSpace(body) ? $"HTTP {(int)status}" : $"HTTP {(int)status}: {Shorten(body)}";
        return status switch
        {
            HttpStatusCode.TooManyRequests => new PublishOutcome.RateLimited(
                $"LinkedIn throttled the call ({detail})", now + (RetryAfter(headers, now) ?? DefaultThrottle)),
            HttpStatusCode.Unauthorized => new PublishOutcome.AuthInvalid($"LinkedIn refused the token ({detail})"),
            HttpStatusCode.UnprocessableEntity when body?.Contains("DUPLICATE_POST", StringComparison.Ordinal) == true =>
                DuplicateUrn().Match(body) is { Success: true } urn
                    ? new PublishOutcome.Published(urn.Value)
                    : new PublishOutcome.Duplicate($"LinkedIn reports a duplicate post ({detail})"),
            (HttpStatusCode)426 => new PublishOutcome.Permanent(
                $"LinkedIn API version {version} is no longer active; set Platforms:LinkedIn:Version to a current YYYYMM ({detail})"),
            >= HttpStatusCode.InternalServerError when isPublish => new PublishOutcome.Unknown($"LinkedIn failed while publishing ({detail})"),
            >= HttpStatusCode.InternalServerError => new PublishOutcome.Transient($"LinkedIn failed ({detail})"),
            _ => new PublishOutcome.Permanent($"LinkedIn refused the post ({detail})"),
        };
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
