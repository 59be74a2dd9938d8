using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms.LinkedIn;

/// <summary>
/// LinkedIn through the versioned REST API: <c>POST /rest/posts</c> (the post URN comes back in <c>x-restli-id</c>),
/// images through <c>POST /rest/images?action=initializeUpload</c> and a <c>PUT</c> of the bytes to the upload URL.
/// The account's external id is the author URN (<c>urn:li:person:…</c> or <c>urn:li:organization:…</c>).
/// </summary>
public sealed class LinkedInPublisher(
    IHttpClientFactory http, IOptionsMonitor<LinkedInOptions> options, IPlatformStateStore store, TimeProvider clock)
    : IPlatformPublisher
{
    public const string HttpClientName = "linkedin";
    public const string MediaClientName = "media";

    public Platform Platform => Platform.LinkedIn;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var author = request.ExternalAccountId;
        var state = new PublishState(request, store);
        var (images, refusal) = await MediaUploads.UploadAllAsync(
            request, state, (_, url, ct) => UploadImageAsync(author, url, request.AccessToken, state, ct), clock, maxAge: null, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var body = new Dictionary<string, object?>
        {
            ["author"] = author,
            ["commentary"] = LittleText.Escape(request.Content),
            ["visibility"] = "PUBLIC",
            ["distribution"] = new { feedDistribution = "MAIN_FEED", targetEntities = Array.Empty<object>(), thirdPartyDistributionChannels = Array.Empty<object>() },
            ["lifecycleState"] = "PUBLISHED",
            ["isReshareDisabledByAuthor"] = false,
        };
        if (images.Count == 1)
        {
            body["content"] = new { media = new { id = images[0] } };
        }
        else if (images.Count > 1)
        {
            body["content"] = new { multiImage = new { images = images.Select(id => new { id }).ToArray() } };
        }
        else if (request.Link is not null)
        {
            body["content"] = new { article = new { source = request.Link, title = request.Link } };
        }

        using var message = Rest(HttpMethod.Post, "rest/posts", request.AccessToken);
        message.Content = JsonContent.Create(body);
        var answer = await SendAsync(message, isPublish: true, state, cancellationToken);
        if (answer.Refusal is PublishOutcome.Duplicate && LinkedInErrorClassifier.DuplicateOf(answer.Response?.Body) is { } duplicate)
        {
            return await CheckDuplicateAsync(request, duplicate, cancellationToken);
        }

        if (answer.Refusal is not null)
        {
            return answer.Refusal;
        }

        var urn = Header(answer.Response!, "x-restli-id") ?? Header(answer.Response!, "x-linkedin-id");
        return urn is not null
            ? new PublishOutcome.Published(urn)
            : new PublishOutcome.Unknown("LinkedIn accepted the post but named no id (x-restli-id missing)");
    }

    /// <summary>
    /// The author's recent posts, matched on the commentary. A member token may not read posts (403); that answers
    /// "not found": a retry is then safe because LinkedIn refuses a duplicate with 422 naming the live post.
    /// </summary>
    public async Task<string?> FindExistingAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        var path = $"rest/posts?author={Uri.EscapeDataString(request.ExternalAccountId)}&q=author&count=50&sortBy=CREATED";
        using var message = Rest(HttpMethod.Get, path, request.AccessToken);
        message.Headers.Add("X-RestLi-Method", "FINDER");
        var response = await ReconciliationRead.SendAsync(http.CreateClient(HttpClientName), message, "LinkedIn", cancellationToken);

        if (response.Status == System.Net.HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (!response.IsSuccess)
        {
            throw new PlatformUnavailableException($"LinkedIn answered HTTP {(int)response.Status} to the reconciliation read.");
        }

        var escaped = LittleText.Escape(request.Content);
        var since = Reconciliation.Earliest(request, attemptStartedAt).ToUnixTimeMilliseconds();
        foreach (var post in response.Json().GetProperty("elements").EnumerateArray())
        {
            var commentary = post.TryGetProperty("commentary", out var c) ? c.GetString() : null;
            var created = post.TryGetProperty("createdAt", out var at) && at.TryGetInt64(out var ms) ? ms : long.MaxValue;
            if (created >= since && (commentary == escaped || commentary == request.Content))
            {
                return post.GetProperty("id").GetString();
            }
        }

        return null;
    }

    /// <summary>
    /// A 422 <c>DUPLICATE_POST</c> names a post; it is this post's only if it is the same author's and was created
    /// since this post's time. The URN can be an older post with the same text, or a deleted one ("ghost" duplicates
    /// answer 404): then the post fails, saying why, instead of being reported live.
    /// </summary>
    private async Task<PublishOutcome> CheckDuplicateAsync(PublishRequest request, string urn, CancellationToken ct)
    {
        var refused = $"LinkedIn refuses content duplicating {urn}";
        using var message = Rest(HttpMethod.Get, $"rest/posts/{Uri.EscapeDataString(urn)}", request.AccessToken);
        PlatformResponse read;
        try
        {
            read = await ReconciliationRead.SendAsync(http.CreateClient(HttpClientName), message, "LinkedIn", ct);
        }
        catch (PlatformUnavailableException ex)
        {
            return new PublishOutcome.Unknown($"{refused}, which could not be read: {ex.Message}");
        }

        switch (read.Status)
        {
            case HttpStatusCode.OK:
                var post = read.Json();
                var author = post.TryGetProperty("author", out var a) ? a.GetString() : null;
                var created = post.TryGetProperty("createdAt", out var at) && at.TryGetInt64(out var ms)
                    ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                    : DateTimeOffset.MinValue;
                if (author == request.ExternalAccountId && created >= Reconciliation.Earliest(request, clock.GetUtcNow()))
                {
                    return new PublishOutcome.Published(urn);
                }

                return new PublishOutcome.Permanent(
                    author == request.ExternalAccountId
                        ? $"{refused}, an earlier post of this author (created {created:u}, before this post's time)."
                        : $"{refused}, a post of another author ({author}).");
            case HttpStatusCode.NotFound:
                return new PublishOutcome.Permanent($"{refused}, which no longer exists (deleted); change the text to post it again.");
            case HttpStatusCode.Unauthorized:
                return new PublishOutcome.AuthInvalid($"LinkedIn refused the token while reading {urn}");
            case HttpStatusCode.Forbidden:
                return new PublishOutcome.Permanent(
                    $"{refused}; this token may not read posts, so it cannot be confirmed to be this post's. Check the account's feed.");
            default:
                return new PublishOutcome.Unknown($"{refused}; reading it answered HTTP {(int)read.Status}.");
        }
    }

    private async Task<(string? Urn, PublishOutcome? Refusal)> UploadImageAsync(
        string owner, string mediaUrl, string token, PublishState state, CancellationToken ct)
    {
        using var initialize = Rest(HttpMethod.Post, "rest/images?action=initializeUpload", token);
        initialize.Content = JsonContent.Create(new { initializeUploadRequest = new { owner } });
        var init = await SendAsync(initialize, isPublish: false, state, ct);
        if (init.Refusal is not null)
        {
            return (null, init.Refusal);
        }

        var value = init.Response!.Json().GetProperty("value");
        var uploadUrl = value.GetProperty("uploadUrl").GetString()!;
        var image = value.GetProperty("image").GetString()!;

        byte[] bytes;
        try
        {
            bytes = await http.CreateClient(MediaClientName).GetByteArrayAsync(mediaUrl, ct);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status && (int)status is >= 400 and < 500)
        {
            return (null, new PublishOutcome.Permanent($"The image {mediaUrl} could not be fetched: HTTP {(int)status}"));
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return (null, TransportFailures.Classify(ex, "the media host", isPublish: false));
        }

        using var upload = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(bytes) };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var uploaded = await SendAsync(upload, isPublish: false, state, ct);
        return uploaded.Refusal is null ? (image, null) : (null, uploaded.Refusal);
    }

    private HttpRequestMessage Rest(HttpMethod method, string path, string token)
    {
        var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Add("LinkedIn-Version", options.CurrentValue.Version);
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        return message;
    }

    /// <summary>
    /// One call, classified. A 429 is counted on the row (LinkedIn sends no Retry-After, so each one in a row waits
    /// twice as long); the count is cleared by the next call that is not throttled.
    /// </summary>
    private async Task<LinkedInAnswer> SendAsync(HttpRequestMessage message, bool isPublish, PublishState state, CancellationToken ct)
    {
        PlatformResponse response;
        try
        {
            using var answer = await http.CreateClient(HttpClientName).SendAsync(message, ct);
            response = await PlatformResponse.ReadAsync(answer, ct);
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return new LinkedInAnswer(null, TransportFailures.Classify(ex, "LinkedIn", isPublish));
        }

        var throttles = state.Current.Throttles;
        if (response.Status == HttpStatusCode.TooManyRequests)
        {
            await state.SaveAsync(state.Current with { Throttles = throttles + 1 }, ct);
        }
        else if (throttles > 0)
        {
            await state.SaveAsync(state.Current with { Throttles = 0 }, ct);
        }

        return new LinkedInAnswer(
            response,
            response.IsSuccess
                ? null
                : LinkedInErrorClassifier.Classify(
                    response.Status, response.Body, response.Headers, clock.GetUtcNow(), isPublish, options.CurrentValue.Version, throttles));
    }

    private sealed record LinkedInAnswer(PlatformResponse? Response, PublishOutcome? Refusal);

    private static string? Header(PlatformResponse response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
