using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms.Meta;

/// <summary>
/// How Scheduler treats each Graph API error (Facebook Pages and Instagram share the envelope and the codes).
/// The HTTP status is not documented per code, so the code decides; the status only matters without an envelope.
/// </summary>
public static partial class MetaErrorClassifier
{
    /// <summary>When a throttle gives no time to wait.</summary>
    public static readonly TimeSpan DefaultThrottle = TimeSpan.FromMinutes(15);

    /// <summary>The Instagram 24-hour publishing window is rolling: look again in an hour.</summary>
    public static readonly TimeSpan DailyLimitRecheck = TimeSpan.FromHours(1);

    /// <summary>Subcode 1390008 of code 368: "posting too fast". Meta gives no time; an hour is what the block lasts in reports.</summary>
    public static readonly TimeSpan PostingTooFast = TimeSpan.FromHours(1);

    private static readonly HashSet<int> RateLimitCodes = [4, 17, 32, 613, 341];

    private static readonly HashSet<int> RetryableInstagramSubcodes =
        [2207001, 2207003, 2207008, 2207020, 2207027, 2207032, 2207053, 2207082];

    /// <param name="isPublish">
    /// True for the call that makes the post live (<c>/media_publish</c>, phase two of a Facebook post): an answer
    /// without a verdict (codes 1 and 2, <c>is_transient</c>, 5xx) may have published, so it is reconciled, not retried.
    /// </param>
    public static PublishOutcome Classify(
        HttpStatusCode status, string? body, HttpResponseHeaders? headers, DateTimeOffset now, bool isPublish)
    {
        var error = GraphError.TryParse(body);
        if (error is null)
        {
            return status switch
            {
                HttpStatusCode.TooManyRequests => new PublishOutcome.RateLimited("HTTP 429 from the Graph API", now + Throttle(headers)),
                >= HttpStatusCode.InternalServerError when isPublish =>
                    new PublishOutcome.Unknown($"HTTP {(int)status} from the Graph API while publishing"),
                >= HttpStatusCode.InternalServerError => new PublishOutcome.Transient($"HTTP {(int)status} from the Graph API"),
                _ => new PublishOutcome.Permanent($"HTTP {(int)status} from the Graph API without an error body"),
            };
        }

        var reason = error.ToString();
        return error switch
        {
            { Code: 190 or 102 } => new PublishOutcome.AuthInvalid(reason),
            // Code 4 is the app rate limit, but with this subcode Instagram restricted the post as suspected spam:
            // waiting does not help, so it fails (and alerts) instead of being deferred forever.
            { Subcode: 2207051 } => new PublishOutcome.Permanent($"Instagram restricted this post as suspected spam ({reason})"),
            { Code: 9, Subcode: 2207042 } => new PublishOutcome.RateLimited(reason, now + DailyLimitRecheck),
            { Code: 368, Subcode: 1390008 } => new PublishOutcome.RateLimited($"Facebook says the Page posts too fast ({reason})", now + PostingTooFast),
            { Code: 368 } when SaysAlreadyPosted(error) => new PublishOutcome.Duplicate(reason),
            // A temporary block of this action, not of the account: this post fails, the account's others go on.
            { Code: 368 } => new PublishOutcome.Permanent($"Facebook blocked this post ({reason})"),
            // The photos were already attached to a post that went live: an earlier attempt published.
            { Subcode: 1366051 } => new PublishOutcome.Duplicate(reason),
            { Code: var c } when RateLimitCodes.Contains(c) || c is >= 80001 and <= 80014 =>
                new PublishOutcome.RateLimited(reason, now + Throttle(headers)),
            { Code: 506 } => new PublishOutcome.Duplicate(reason),
            // The media could not be fetched when the container was made: nothing was published; try again.
            { Code: 9004 } or { Subcode: 2207052 } => new PublishOutcome.Transient(reason),
            // Instagram: server hiccups, downloads that timed out, containers to make again, media not ready yet.
            { Subcode: var sub } when sub is { } known && RetryableInstagramSubcodes.Contains(known) => new PublishOutcome.Transient(reason),
            { Code: 25, Subcode: 2207050 } => new PublishOutcome.Permanent(reason, PauseAccount: true),
            { Code: 1, Subcode: null } or { Code: 2 } or { IsTransient: true } when isPublish => new PublishOutcome.Unknown(reason),
            { Code: 1, Subcode: null } or { Code: 2 } or { IsTransient: true } => new PublishOutcome.Transient(reason),
            { Code: 10 or (>= 200 and <= 299) } => new PublishOutcome.Permanent(reason),
            { Code: 100 } => new PublishOutcome.Permanent(reason),
            _ when status >= HttpStatusCode.InternalServerError =>
                isPublish ? new PublishOutcome.Unknown(reason) : new PublishOutcome.Transient(reason),
            _ => new PublishOutcome.Permanent(reason),
        };
    }

    /// <summary>Instagram answers after which the container is dead: the next attempt makes a new one.</summary>
    public static bool NeedsNewContainer(GraphError? error) =>
        error?.Subcode is 2207008 or 2207020 or 2207032 or 2207053;

    /// <summary>The status text of a container in ERROR (<c>"Error: … error code 2207026"</c>) carries a subcode.</summary>
    public static int? ContainerErrorSubcode(string? status) =>
        status is not null && ErrorCode().Match(status) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? code
            : null;

    /// <summary>A container in ERROR whose subcode is documented as retryable: drop it and make a new one.</summary>
    public static bool IsRetryableContainerError(int? subcode) => subcode is 2207001 or 2207003 or 2207053 or 2207082;

    private static bool SaysAlreadyPosted(GraphError error) =>
        $"{error.Message} {error.UserMessage}" is var text
        && (text.Contains("already been posted", StringComparison.OrdinalIgnoreCase)
            || text.Contains("already posted", StringComparison.OrdinalIgnoreCase)
            || text.Contains("duplicate", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The longest <c>estimated_time_to_regain_access</c> (minutes) in <c>X-Business-Use-Case-Usage</c>, or the
    /// default when Meta gives none.
    /// </summary>
    public static TimeSpan Throttle(HttpResponseHeaders? headers)
    {
        if (headers is null || !headers.TryGetValues("X-Business-Use-Case-Usage", out var values))
        {
            return DefaultThrottle;
        }

        var minutes = 0;
        foreach (var value in values)
        {
            try
            {
                using var usage = JsonDocument.Parse(value);
                foreach (var entry in usage.RootElement.EnumerateObject())
                {
                    foreach (var item in entry.Value.EnumerateArray())
                    {
                        if (item.TryGetProperty("estimated_time_to_regain_access", out var regain) && regain.TryGetInt32(out var m))
                        {
                            minutes = Math.Max(minutes, m);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                return DefaultThrottle;
            }
            catch (InvalidOperationException)
            {
                return DefaultThrottle;
            }
        }

        return minutes > 0 ? TimeSpan.FromMinutes(minutes) : DefaultThrottle;
    }

    [GeneratedRegex(@"error code (\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ErrorCode();
}
