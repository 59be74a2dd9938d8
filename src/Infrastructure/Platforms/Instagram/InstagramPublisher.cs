using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.Instagram;

/// <summary>
/// Instagram content publishing: create a container (<c>POST /{ig-user-id}/media</c>: an image, a reel, or a carousel
/// of 2–10 children), wait until its <c>status_code</c> is FINISHED, then <c>POST /{ig-user-id}/media_publish</c>.
/// The container id is saved on the queue row the moment it exists, so an attempt after a crash resumes from it
/// instead of making a second container. The 24-hour publishing quota is read before publishing.
/// </summary>
public sealed class InstagramPublisher(
    IHttpClientFactory http, IOptionsMonitor<InstagramOptions> options, IPlatformStateStore store, TimeProvider clock)
    : IPlatformPublisher
{
    public const string HttpClientName = "instagram";

    public Platform Platform => Platform.Instagram;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var user = Uri.EscapeDataString(request.ExternalAccountId);
        var version = options.CurrentValue.Version;

        if (await QuotaExhaustedAsync(request, cancellationToken) is { } limited)
        {
            return limited;
        }

        var state = PlatformState.Parse(request.PlatformState);
        var container = state.ContainerId;
        if (container is null)
        {
            var (created, refusal) = await CreateContainerAsync(request, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            container = created!;
            await store.SaveOrStopAsync(request, (state with { ContainerId = container }).Serialize(), cancellationToken);
        }

        var ready = await WaitUntilFinishedAsync(request, container, cancellationToken);
        if (ready is not null)
        {
            return ready;
        }

        var (published, failure) = await SendAsync(
            HttpMethod.Post, $"{version}/{user}/media_publish", request.AccessToken,
            [new("creation_id", container)], isPublish: true, cancellationToken);
        return failure ?? new PublishOutcome.Published(published!.Value.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// The stored container says PUBLISHED: find its media id in the account's recent media (by caption), else use
    /// the container id. Without a container, the recent media are matched on the caption.
    /// </summary>
    public async Task<string?> FindExistingAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        var version = options.CurrentValue.Version;
        var container = PlatformState.Parse(request.PlatformState).ContainerId;
        if (container is not null)
        {
            var status = await ReadAsync($"{version}/{container}?fields=status_code,status", request.AccessToken, cancellationToken);
            if (status.GetProperty("status_code").GetString() != "PUBLISHED")
            {
                return null;
            }
        }

        var media = await ReadAsync(
            $"{version}/{Uri.EscapeDataString(request.ExternalAccountId)}/media?fields=id,caption,timestamp&limit=25",
            request.AccessToken, cancellationToken);
        foreach (var item in media.GetProperty("data").EnumerateArray())
        {
            if (item.TryGetProperty("caption", out var caption) && caption.GetString()?.Trim() == request.Content.Trim())
            {
                return item.GetProperty("id").GetString();
            }
        }

        return container;
    }

    private async Task<PublishOutcome?> QuotaExhaustedAsync(PublishRequest request, CancellationToken ct)
    {
        var path = $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/content_publishing_limit?fields=quota_usage,config";
        var (limit, refusal) = await SendAsync(HttpMethod.Get, path, request.AccessToken, null, isPublish: false, ct);
        if (refusal is PublishOutcome.AuthInvalid or PublishOutcome.RateLimited)
        {
            return refusal;
        }

        // Without an answer the publish call itself will say if the quota is used up (code 9 / 2207042).
        if (limit is not { } body || !body.TryGetProperty("data", out var data) || data.GetArrayLength() == 0)
        {
            return null;
        }

        var entry = data[0];
        var used = entry.TryGetProperty("quota_usage", out var u) && u.TryGetInt32(out var usage) ? usage : 0;
        var total = entry.TryGetProperty("config", out var config) && config.TryGetProperty("quota_total", out var t)
                    && t.TryGetInt32(out var quota) ? quota : int.MaxValue;
        return used >= total
            ? new PublishOutcome.RateLimited(
                $"The Instagram account used its {total} posts of the rolling 24 hours", clock.GetUtcNow() + MetaErrorClassifier.DailyLimitRecheck)
            : null;
    }

    private async Task<(string? ContainerId, PublishOutcome? Refusal)> CreateContainerAsync(PublishRequest request, CancellationToken ct)
    {
        var path = $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/media";
        List<KeyValuePair<string, string>> fields;
        if (request.MediaUrls.Count > 1)
        {
            var children = new List<string>();
            foreach (var url in request.MediaUrls)
            {
                var child = new List<KeyValuePair<string, string>> { new("is_carousel_item", "true") };
                child.AddRange(IsVideo(url) ? [new("media_type", "VIDEO"), new("video_url", url)] : [new("image_url", url)]);
                var (created, refusal) = await SendAsync(HttpMethod.Post, path, request.AccessToken, child, isPublish: false, ct);
                if (refusal is not null)
                {
                    return (null, refusal);
                }

                children.Add(created!.Value.GetProperty("id").GetString()!);
            }

            fields = [new("media_type", "CAROUSEL"), new("children", string.Join(',', children)), new("caption", request.Content)];
        }
        else
        {
            var url = request.MediaUrls.Count == 1
                ? request.MediaUrls[0]
                : throw new InvalidOperationException("An Instagram post needs an image or a video; validation lets none through without.");
            fields = IsVideo(url)
                ? [new("media_type", "REELS"), new("video_url", url), new("caption", request.Content)]
                : [new("image_url", url), new("caption", request.Content)];
        }

        var (container, failure) = await SendAsync(HttpMethod.Post, path, request.AccessToken, fields, isPublish: false, ct);
        return failure is not null ? (null, failure) : (container!.Value.GetProperty("id").GetString(), null);
    }

    /// <summary>Null when FINISHED; otherwise the outcome for this attempt.</summary>
    private async Task<PublishOutcome?> WaitUntilFinishedAsync(PublishRequest request, string container, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var deadline = clock.GetUtcNow().AddSeconds(settings.StatusPollMaxSeconds);
        while (true)
        {
            var (status, refusal) = await SendAsync(
                HttpMethod.Get, $"{settings.Version}/{container}?fields=status_code,status", request.AccessToken, null, isPublish: false, ct);
            if (refusal is not null)
            {
                return refusal;
            }

            var code = status!.Value.GetProperty("status_code").GetString();
            var detail = status.Value.TryGetProperty("status", out var s) ? s.ToString() : code;
            switch (code)
            {
                case "FINISHED":
                    return null;
                case "PUBLISHED":
                    return new PublishOutcome.Unknown($"Container {container} is already published");
                case "ERROR":
                    return new PublishOutcome.Permanent($"Instagram could not process the media: {detail}");
                case "EXPIRED":
                    await store.SaveOrStopAsync(request, null, ct);
                    return new PublishOutcome.Transient($"Container {container} expired (24 h); a new one is made on the next attempt.");
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return new PublishOutcome.Transient(
                    $"Container {container} is still {code} after {settings.StatusPollMaxSeconds:0} s; the next attempt resumes it.");
            }

            await Task.Delay(TimeSpan.FromSeconds(settings.StatusPollSeconds), clock, ct);
        }
    }

    private async Task<JsonElement> ReadAsync(string path, string token, CancellationToken ct)
    {
        var (body, refusal) = await SendAsync(HttpMethod.Get, path, token, null, isPublish: false, ct);
        return refusal is null
            ? body!.Value
            : throw new PlatformUnavailableException($"Instagram could not answer the reconciliation read: {refusal}");
    }

    private Task<(JsonElement? Body, PublishOutcome? Refusal)> SendAsync(
        HttpMethod method, string path, string token, IEnumerable<KeyValuePair<string, string>>? form, bool isPublish, CancellationToken ct) =>
        GraphApi.SendAsync(http.CreateClient(HttpClientName), method, path, token, form, isPublish, clock.GetUtcNow(), "Instagram", ct);

    private static bool IsVideo(string url) => PostContentRules.IsVideo(url);
}
