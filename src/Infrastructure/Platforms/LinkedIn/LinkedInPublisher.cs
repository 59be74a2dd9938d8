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
        var (images, refusal) = await MediaUploads.UploadAllAsync(
            request, store, (url, ct) => UploadImageAsync(author, url, request.AccessToken, ct), cancellationToken);
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
        var (response, failure) = await SendAsync(message, isPublish: true, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var urn = Header(response!, "x-restli-id") ?? Header(response!, "x-linkedin-id");
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
        var since = attemptStartedAt.AddMinutes(-5).ToUnixTimeMilliseconds();
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

    private async Task<(string? Urn, PublishOutcome? Refusal)> UploadImageAsync(
        string owner, string mediaUrl, string token, CancellationToken ct)
    {
        using var initialize = Rest(HttpMethod.Post, "rest/images?action=initializeUpload", token);
        initialize.Content = JsonContent.Create(new { initializeUploadRequest = new { owner } });
        var (init, refusal) = await SendAsync(initialize, isPublish: false, ct);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var value = init!.Json().GetProperty("value");
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
        var (_, uploadRefusal) = await SendAsync(upload, isPublish: false, ct);
        return uploadRefusal is null ? (image, null) : (null, uploadRefusal);
    }

    private HttpRequestMessage Rest(HttpMethod method, string path, string token)
    {
        var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Add("LinkedIn-Version", options.CurrentValue.Version);
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        return message;
    }

    private async Task<(PlatformResponse? Response, PublishOutcome? Refusal)> SendAsync(
        HttpRequestMessage message, bool isPublish, CancellationToken ct)
    {
        try
        {
            using var answer = await http.CreateClient(HttpClientName).SendAsync(message, ct);
            var response = await PlatformResponse.ReadAsync(answer, ct);
            return response.IsSuccess
                ? (response, null)
                : (null, LinkedInErrorClassifier.Classify(
                    response.Status, response.Body, response.Headers, clock.GetUtcNow(), isPublish, options.CurrentValue.Version));
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return (null, TransportFailures.Classify(ex, "LinkedIn", isPublish));
        }
    }

    private static string? Header(PlatformResponse response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
