using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms.Meta;

/// <summary>
/// How Scheduler treats each Graph API error (Facebook Pages and Instagram share the envelope and the codes).
/// The HTTP status is not documented per code, so the code decides; the status only matters without an envelope.
/// </summary>
public static class MetaErrorClassifier
{
    /// <summary>When a throttle gives no time to wait.</summary>
    public static readonly TimeSpan DefaultThrottle = TimeSpan.FromMinutes(15);

    /// <summary>The Instagram 24-hour publishing window is rolling: look again in an hour.</summary>
    public static readonly TimeSpan DailyLimitRecheck = TimeSpan.FromHours(1);

    private static readonly HashSet<int> RateLimitCodes = [4, 17, 32, 613, 341];

    /// <param name="isPublish">True for the call that makes the post live: a failure without a verdict may have published.</param>
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
            { Code: 9, Subcode: 2207042 } => new PublishOutcome.RateLimited(reason, now + DailyLimitRecheck),
            { Code: var c } when RateLimitCodes.Contains(c) || c is >= 80001 and <= 80014 =>
                new PublishOutcome.RateLimited(reason, now + Throttle(headers)),
            { Code: 1 or 2 } => new PublishOutcome.Transient(reason),
            { Code: 506 } => new PublishOutcome.Duplicate(reason),
            { Code: 368 } => new PublishOutcome.Permanent(reason, PauseAccount: true),
            { Code: 10 or (>= 200 and <= 299) } => new PublishOutcome.Permanent(reason),
            { Code: 100 } => new PublishOutcome.Permanent(reason),
            // Instagram: server hiccups, downloads that timed out, containers to make again, media not ready yet.
            { Subcode: 2207001 or 2207003 or 2207008 or 2207020 or 2207027 or 2207032 or 2207053 or 2207082 } =>
                new PublishOutcome.Transient(reason),
            { IsTransient: true } => new PublishOutcome.Transient(reason),
            _ when status >= HttpStatusCode.InternalServerError =>
                isPublish ? new PublishOutcome.Unknown(reason) : new PublishOutcome.Transient(reason),
            _ => new PublishOutcome.Permanent(reason),
        };
    }

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
}
