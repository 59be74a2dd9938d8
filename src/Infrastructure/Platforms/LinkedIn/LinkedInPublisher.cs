using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Platforms.LinkedIn;

/// <summary>
/// LinkedIn through the versioned REST API: <c>POST /rest/posts</c> (the post URN comes back in <c>x-restli-id</c>),
/// images and documents through <c>initializeUpload</c> and a <c>PUT</c> of the bytes, videos in parts with
/// <c>finalizeUpload</c>; each waits until LinkedIn reads it AVAILABLE before the post is made. Images carry their
/// alternative text (<c>altText</c>), documents their file name as title.
/// The account's external id is the author URN (<c>urn:li:person:…</c> or <c>urn:li:organization:…</c>).
/// </summary>
public sealed class LinkedInPublisher(
    IHttpClientFactory http,
    IOptionsMonitor<LinkedInOptions> options,
    IPlatformStateStore store,
    TimeProvider clock,
    Media.LinkPreviews previews)
    : IPlatformPublisher
{
    public const string HttpClientName = "linkedin";
    public const string MediaClientName = "media";

    /// <summary>Absent fields are left out, not sent as null (an image without alternative text, a media without title).</summary>
    private static readonly JsonSerializerOptions PostJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public Platform Platform => Platform.LinkedIn;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var author = request.ExternalAccountId;
        var state = new PublishState(request, store);
        var (urns, refusal) = await MediaUploads.UploadAllAsync(
            request, state, (index, url, ct) => UploadAsync(request, request.Media[index], state, ct), clock, maxAge: null, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await WaitUntilAvailableAsync(request, state, urns, cancellationToken) is { } notAvailable)
        {
            return notAvailable;
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
        if (urns.Count == 1)
        {
            var item = request.Media[0];
            body["content"] = new
            {
                media = new
                {
                    id = urns[0],
                    altText = item.Kind == MediaKind.Image ? item.AltText : null,
                    title = item.Kind == MediaKind.Document ? FileName(item.Url) : null,
                },
            };
        }
        else if (urns.Count > 1)
        {
            body["content"] = new
            {
                multiImage = new { images = urns.Select((id, i) => new { id, altText = request.Media[i].AltText }).ToArray() },
            };
        }
        else if (request.Link is not null)
        {
            var (article, articleRefusal) = await ArticleAsync(request, state, cancellationToken);
            if (articleRefusal is not null)
            {
                return articleRefusal;
            }

            body["content"] = new { article };
        }

        using var message = Rest(HttpMethod.Post, "rest/posts", request.AccessToken);
        message.Content = JsonContent.Create(body, options: PostJson);
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
    /// <c>POST /rest/socialActions/{post urn}/comments</c> with the author as actor and the message as plain text
    /// (comments take no "little text" escaping); 201 with the comment, whose <c>commentUrn</c> (else <c>id</c>) is kept.
    /// </summary>
    public async Task<PublishOutcome> CommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        using var call = Rest(HttpMethod.Post, $"rest/socialActions/{Uri.EscapeDataString(externalPostId)}/comments", request.AccessToken);
        call.Content = JsonContent.Create(
            new { actor = request.ExternalAccountId, @object = externalPostId, message = new { text = message } }, options: PostJson);
        var answer = await SendAsync(call, isPublish: true, new PublishState(request, store), cancellationToken);
        if (answer.Refusal is not null)
        {
            return answer.Refusal;
        }

        return CommentId(answer.Response!.Body) is { } id
            ? new PublishOutcome.Published(id)
            : new PublishOutcome.Unknown("LinkedIn accepted the comment but named no id");
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
                        ? string.Create(CultureInfo.InvariantCulture, $"{refused}, an earlier post of this author (created {created:u}, before this post's time).")
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

    /// <summary>
    /// Uploads one media item the way LinkedIn takes its kind: images and documents with one PUT to the URL that
    /// <c>initializeUpload</c> gives; videos in the parts it asks for, then <c>finalizeUpload</c> with each part's ETag.
    /// </summary>
    private async Task<(string? Urn, PublishOutcome? Refusal)> UploadAsync(
        PublishRequest request, PostMedia media, PublishState state, CancellationToken ct)
    {
        var (bytes, fetchFailed) = await FetchAsync(media.Url, ct);
        if (fetchFailed is not null)
        {
            return (null, fetchFailed);
        }

        var owner = request.ExternalAccountId;
        var (resource, urnField) = media.Kind switch
        {
            MediaKind.Video => ("videos", "video"),
            MediaKind.Document => ("documents", "document"),
            _ => ("images", "image"),
        };
        object init = media.Kind == MediaKind.Video
            ? new { initializeUploadRequest = new { owner, fileSizeBytes = bytes!.LongLength, uploadCaptions = false, uploadThumbnail = false } }
            : new { initializeUploadRequest = new { owner } };
        using var initialize = Rest(HttpMethod.Post, $"rest/{resource}?action=initializeUpload", request.AccessToken);
        initialize.Content = JsonContent.Create(init);
        var initialized = await SendAsync(initialize, isPublish: false, state, ct);
        if (initialized.Refusal is not null)
        {
            return (null, initialized.Refusal);
        }

        var value = initialized.Response!.Json().GetProperty("value");
        var urn = value.GetProperty(urnField).GetString()!;
        if (media.Kind != MediaKind.Video)
        {
            var put = await PutAsync(value.GetProperty("uploadUrl").GetString()!, bytes!, request.AccessToken, state, ct);
            return put.Refusal is null ? (urn, null) : (null, put.Refusal);
        }

        var etags = new List<string>();
        foreach (var part in value.GetProperty("uploadInstructions").EnumerateArray())
        {
            var first = part.GetProperty("firstByte").GetInt64();
            var last = part.GetProperty("lastByte").GetInt64();
            var put = await PutAsync(part.GetProperty("uploadUrl").GetString()!, bytes![(int)first..(int)(last + 1)], request.AccessToken, state, ct);
            if (put.Refusal is not null)
            {
                return (null, put.Refusal);
            }

            etags.Add(Header(put.Response!, "ETag") ?? throw new InvalidOperationException("LinkedIn answered a video part without an ETag."));
        }

        using var finalize = Rest(HttpMethod.Post, "rest/videos?action=finalizeUpload", request.AccessToken);
        finalize.Content = JsonContent.Create(new
        {
            finalizeUploadRequest = new
            {
                video = urn,
                uploadToken = value.TryGetProperty("uploadToken", out var token) ? token.GetString() ?? string.Empty : string.Empty,
                uploadedPartIds = etags,
            },
        });
        var finalized = await SendAsync(finalize, isPublish: false, state, ct);
        return finalized.Refusal is null ? (urn, null) : (null, finalized.Refusal);
    }

    private async Task<(byte[]? Bytes, PublishOutcome? Refusal)> FetchAsync(string mediaUrl, CancellationToken ct)
    {
        var limit = options.CurrentValue.MaxUploadMegabytes * 1024L * 1024L;
        try
        {
            using var response = await http.CreateClient(MediaClientName).GetAsync(mediaUrl, HttpCompletionOption.ResponseHeadersRead, ct);
            if ((int)response.StatusCode is >= 400 and < 500)
            {
                return (null, new PublishOutcome.Permanent($"The media {mediaUrl} could not be fetched: HTTP {(int)response.StatusCode}"));
            }

            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > limit)
            {
                return (null, new PublishOutcome.Permanent($"The media {mediaUrl} is over {options.CurrentValue.MaxUploadMegabytes} MB."));
            }

            return (await response.Content.ReadAsByteArrayAsync(ct), null);
        }
        catch (HttpRequestException ex) when (Media.NotPublicAddressException.Caused(ex))
        {
            return (null, new PublishOutcome.Permanent($"The media {mediaUrl} is not on the public internet: {ex.Message}"));
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return (null, TransportFailures.Classify(ex, "the media host", isPublish: false));
        }
    }

    private async Task<LinkedInAnswer> PutAsync(string uploadUrl, byte[] bytes, string token, PublishState state, CancellationToken ct)
    {
        using var upload = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(bytes) };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(upload, isPublish: false, state, ct);
    }

    /// <summary>
    /// An uploaded image, video or document can be attached only once LinkedIn reads it AVAILABLE. A member token may
    /// not read its own uploads (403): then the post is tried as it is. Still processing after the budget: deferred
    /// without spending an attempt (the URNs are saved, nothing is uploaded again); failed processing: the post fails.
    /// </summary>
    private async Task<PublishOutcome?> WaitUntilAvailableAsync(
        PublishRequest request, PublishState state, IReadOnlyList<string> urns, CancellationToken ct, IReadOnlyList<MediaKind>? kinds = null)
    {
        kinds ??= [.. request.Media.Select(m => m.Kind)];
        var settings = options.CurrentValue;
        var deadline = clock.GetUtcNow().AddSeconds(settings.StatusPollMaxSeconds);
        for (var i = 0; i < urns.Count; i++)
        {
            var resource = kinds[i] switch { MediaKind.Video => "videos", MediaKind.Document => "documents", _ => "images" };
            while (true)
            {
                using var read = Rest(HttpMethod.Get, $"rest/{resource}/{Uri.EscapeDataString(urns[i])}", request.AccessToken);
                var answer = await SendAsync(read, isPublish: false, state, ct);
                if (answer.Response?.Status == HttpStatusCode.Forbidden)
                {
                    break;
                }

                if (answer.Refusal is not null)
                {
                    return answer.Refusal;
                }

                var status = answer.Response!.Json().TryGetProperty("status", out var s) ? s.GetString() : null;
                if (status == "AVAILABLE")
                {
                    break;
                }

                if (status is "PROCESSING_FAILED" or "FAILED")
                {
                    await state.SaveAsync(state.Current with { Uploads = null }, ct);
                    return new PublishOutcome.Permanent($"LinkedIn could not process {urns[i]} ({status}).");
                }

                if (clock.GetUtcNow() >= deadline)
                {
                    return new PublishOutcome.NotReady(
                        $"LinkedIn is still processing {urns[i]} ({status}); the post is tried again without spending an attempt.",
                        clock.GetUtcNow().AddSeconds(Math.Max(settings.StatusPollSeconds, 30)));
                }

                await Task.Delay(TimeSpan.FromSeconds(settings.StatusPollSeconds), clock, ct);
            }
        }

        return null;
    }

    /// <summary>
    /// LinkedIn does not scrape links given through the API: the article's title, description and thumbnail come from
    /// the page's Open Graph tags, the thumbnail uploaded as an image (its URN saved, so a retry reuses it). A page
    /// that cannot be read, or a thumbnail that cannot be uploaded, leaves the article bare: the post still goes out.
    /// </summary>
    private async Task<(object Article, PublishOutcome? Refusal)> ArticleAsync(PublishRequest request, PublishState state, CancellationToken ct)
    {
        var link = request.Link!;
        var preview = await previews.ReadAsync(link, ct);
        var thumbnail = state.Current.Thumbnail?.Id;
        if (thumbnail is null && preview?.ImageUrl is { } image)
        {
            var (urn, refusal) = await UploadAsync(request, PostMedia.From(image, kind: MediaKind.Image), state, ct);
            if (refusal is PublishOutcome.AuthInvalid or PublishOutcome.RateLimited or PublishOutcome.Misconfigured)
            {
                return (new object(), refusal);
            }

            if (urn is not null)
            {
                await state.SaveAsync(state.Current with { Thumbnail = new UploadedMedia(urn, clock.GetUtcNow()) }, ct);
                thumbnail = urn;
            }
        }

        if (thumbnail is not null && await WaitUntilAvailableAsync(request, state, [thumbnail], ct, [MediaKind.Image]) is { } notReady)
        {
            return (new object(), notReady);
        }

        return (new
        {
            source = link,
            title = Truncate(preview?.Title ?? link, 400),
            description = preview?.Description is { } description ? Truncate(description, 4086) : null,
            thumbnail,
        }, null);
    }

    /// <summary>
    /// The post's comments (<c>GET /rest/socialActions/{urn}/comments</c>), matched on the author as actor and the
    /// exact text.
    /// </summary>
    public async Task<string?> FindCommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        using var call = Rest(HttpMethod.Get, $"rest/socialActions/{Uri.EscapeDataString(externalPostId)}/comments?count=100", request.AccessToken);
        var response = await ReconciliationRead.SendAsync(http.CreateClient(HttpClientName), call, "LinkedIn", cancellationToken);
        if (!response.IsSuccess)
        {
            throw new PlatformUnavailableException($"LinkedIn answered HTTP {(int)response.Status} to the comments read.");
        }

        foreach (var comment in response.Json().GetProperty("elements").EnumerateArray())
        {
            var byAuthor = !comment.TryGetProperty("actor", out var actor) || actor.GetString() == request.ExternalAccountId;
            if (byAuthor && comment.TryGetProperty("message", out var text) && text.TryGetProperty("text", out var body)
                && body.GetString()?.Trim() == message.Trim())
            {
                return comment.TryGetProperty("commentUrn", out var urn) ? urn.GetString() : comment.GetProperty("id").GetString();
            }
        }

        return null;
    }

    /// <summary>The created comment's URN, else its id; null for a body that names neither.</summary>
    private static string? CommentId(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object ? null
                : root.TryGetProperty("commentUrn", out var urn) && urn.ValueKind == JsonValueKind.String ? urn.GetString()
                : root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string FileName(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && Path.GetFileName(uri.AbsolutePath) is { Length: > 0 } name
            ? Uri.UnescapeDataString(name)
            : "Document";

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
