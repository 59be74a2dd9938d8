using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.Facebook;

/// <summary>
/// Facebook Pages through the Graph API: text and link posts with <c>POST /{page-id}/feed</c>; photos uploaded
/// unpublished to <c>/{page-id}/photos</c> and attached (<c>attached_media</c>) to the feed post. The Page token travels
/// in the Authorization header only, never in a URL or a body that could be logged.
/// </summary>
public sealed class FacebookPublisher(
    IHttpClientFactory http, IOptionsMonitor<FacebookOptions> options, IPlatformStateStore store, TimeProvider clock)
    : IPlatformPublisher
{
    public const string HttpClientName = "facebook";

    public Platform Platform => Platform.Facebook;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var version = options.CurrentValue.Version;
        var page = Uri.EscapeDataString(request.ExternalAccountId);
        var (photos, refusal) = await MediaUploads.UploadAllAsync(
            request,
            store,
            async (url, ct) =>
            {
                var (photo, failure) = await PostAsync(
                    $"{version}/{page}/photos", [new("url", url), new("published", "false")], request.AccessToken,
                    isPublish: false, ct);
                return (photo?.GetProperty("id").GetString(), failure);
            },
            cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var fields = new List<KeyValuePair<string, string>> { new("message", request.Content) };
        if (request.Link is not null)
        {
            fields.Add(new("link", request.Link));
        }

        for (var i = 0; i < photos.Count; i++)
        {
            fields.Add(new($"attached_media[{i}]", JsonSerializer.Serialize(new { media_fbid = photos[i] })));
        }

        var (post, failure) = await PostAsync($"{version}/{page}/feed", fields, request.AccessToken, isPublish: true, cancellationToken);
        return failure ?? new PublishOutcome.Published(post!.Value.GetProperty("id").GetString()!);
    }

    /// <summary>The page's posts since shortly before the attempt, matched on the exact message.</summary>
    public async Task<string?> FindExistingAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        var since = attemptStartedAt.AddMinutes(-5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var path = $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/published_posts"
                   + $"?fields=id,message,created_time&since={since}&limit=100";
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.AccessToken);
        var response = await ReconciliationRead.SendAsync(http.CreateClient(HttpClientName), message, "Facebook", cancellationToken);

        if (!response.IsSuccess)
        {
            throw new PlatformUnavailableException(
                $"Facebook answered HTTP {(int)response.Status} to the reconciliation read: {GraphError.TryParse(response.Body)}");
        }

        foreach (var item in response.Json().GetProperty("data").EnumerateArray())
        {
            if (item.TryGetProperty("message", out var text) && text.GetString()?.Trim() == request.Content.Trim())
            {
                return item.GetProperty("id").GetString();
            }
        }

        return null;
    }

    private Task<(JsonElement? Body, PublishOutcome? Refusal)> PostAsync(
        string path, IEnumerable<KeyValuePair<string, string>> fields, string token, bool isPublish, CancellationToken ct) =>
        GraphApi.SendAsync(
            http.CreateClient(HttpClientName), HttpMethod.Post, path, token, fields, isPublish, clock.GetUtcNow(), "Facebook", ct);
}
