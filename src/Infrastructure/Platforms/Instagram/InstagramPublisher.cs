using System.Globalization;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.Instagram;

/// <summary>
/// Instagram content publishing: create a container (<c>POST /{ig-user-id}/media</c>: an image, a reel, or a carousel
/// of 2–10 children, each child finished before the parent is made, or a story: <c>media_type=STORIES</c>), wait until its <c>status_code</c> is FINISHED,
/// then <c>POST /{ig-user-id}/media_publish</c>. Every container id is saved on the queue row the moment it exists, so
/// an attempt after a crash resumes from it instead of making a second; a container Instagram declares dead (expired,
/// failed with a retryable code, or refused at publish with "make a new container") is dropped and made again.
/// Media still processing spends no attempt. The 24-hour publishing quota is read before publishing.
/// </summary>
public sealed class InstagramPublisher(
    IHttpClientFactory http, IOptionsMonitor<InstagramOptions> options, IPlatformStateStore store, TimeProvider clock)
    : IPlatformPublisher
{
    public const string HttpClientName = "instagram";

    /// <summary>The client for accounts connected through Instagram Login (<c>graph.instagram.com</c>).</summary>
    public const string InstagramLoginClientName = "instagram-login";

    public Platform Platform => Platform.Instagram;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        if (await QuotaExhaustedAsync(request, cancellationToken) is { } limited)
        {
            return limited;
        }

        var state = new PublishState(request, store);
        var deadline = clock.GetUtcNow().AddSeconds(options.CurrentValue.StatusPollMaxSeconds);
        var container = state.Current.ContainerId;
        if (container is null)
        {
            var (created, refusal) = await CreateContainerAsync(request, state, deadline, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            container = created!;
            await state.SaveAsync(state.Current with { ContainerId = container }, cancellationToken);
        }

        if (await WaitUntilFinishedAsync(request, state, container, deadline, cancellationToken) is { } notFinished)
        {
            return notFinished;
        }

        var published = await SendAsync(
            request, HttpMethod.Post, $"{options.CurrentValue.Version}/{User(request)}/media_publish", [new("creation_id", container)],
            isPublish: true, cancellationToken);
        if (MetaErrorClassifier.NeedsNewContainer(published.Error))
        {
            await DropContainersAsync(state, cancellationToken);
        }

        return published.Refusal ?? new PublishOutcome.Published(published.Id);
    }

    /// <summary>
    /// Without a saved container nothing can have been published. A container that reads PUBLISHED went live: its
    /// media id is the account's media with this caption created since the post's time, else the container's own id.
    /// </summary>
    public async Task<string?> FindExistingAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        var version = options.CurrentValue.Version;
        if (PlatformState.Parse(request.LatestPlatformState).ContainerId is not { } container)
        {
            return null;
        }

        var status = await ReadAsync(request, $"{version}/{container}?fields=status_code,status", cancellationToken);
        if (status.GetProperty("status_code").GetString() != "PUBLISHED")
        {
            return null;
        }

        if (request.Format == PostFormat.Story)
        {
            // A story has no caption to match and is not listed with the feed's media: the container stands for it.
            return container;
        }

        var earliest = Reconciliation.Earliest(request, attemptStartedAt);
        var media = await ReadAsync(request, $"{version}/{User(request)}/media?fields=id,caption,timestamp&limit=25", cancellationToken);
        foreach (var item in media.GetProperty("data").EnumerateArray())
        {
            if (item.TryGetProperty("caption", out var caption) && caption.GetString()?.Trim() == request.Content.Trim()
                && item.TryGetProperty("timestamp", out var timestamp) && GraphTime.TryParse(timestamp.GetString(), out var at)
                && at >= earliest)
            {
                return item.GetProperty("id").GetString();
            }
        }

        return container;
    }

    /// <summary><c>POST /{ig-media-id}/comments</c> with the message, as the account; the answer's id is the comment's.</summary>
    public async Task<PublishOutcome> CommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        var comment = await SendAsync(
            request, HttpMethod.Post, $"{options.CurrentValue.Version}/{Uri.EscapeDataString(externalPostId)}/comments",
            [new("message", message)], isPublish: true, cancellationToken);
        return comment.Refusal ?? new PublishOutcome.Published(comment.Id);
    }

    /// <summary>The media's comments (<c>GET /{ig-media-id}/comments</c>), matched on the account as author and the exact text.</summary>
    public async Task<string?> FindCommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        var comments = await ReadAsync(
            request, $"{options.CurrentValue.Version}/{Uri.EscapeDataString(externalPostId)}/comments?fields=id,text,from&limit=50", cancellationToken);
        foreach (var comment in comments.GetProperty("data").EnumerateArray())
        {
            var byAccount = !comment.TryGetProperty("from", out var from)
                            || (from.TryGetProperty("id", out var author) && author.GetString() == request.ExternalAccountId);
            if (byAccount && comment.TryGetProperty("text", out var text) && text.GetString()?.Trim() == message.Trim())
            {
                return comment.GetProperty("id").GetString();
            }
        }

        return null;
    }

    private async Task<PublishOutcome?> QuotaExhaustedAsync(PublishRequest request, CancellationToken ct)
    {
        var path = $"{options.CurrentValue.Version}/{User(request)}/content_publishing_limit?fields=quota_usage,config";
        var limit = await SendAsync(request, HttpMethod.Get, path, null, isPublish: false, ct);
        if (limit.Refusal is PublishOutcome.AuthInvalid or PublishOutcome.RateLimited)
        {
            return limit.Refusal;
        }

        // Without an answer the publish call itself will say if the quota is used up (code 9 / 2207042).
        if (limit.Body is not { } body || !body.TryGetProperty("data", out var data) || data.GetArrayLength() == 0)
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

    private async Task<(string? ContainerId, PublishOutcome? Refusal)> CreateContainerAsync(
        PublishRequest request, PublishState state, DateTimeOffset deadline, CancellationToken ct)
    {
        var path = $"{options.CurrentValue.Version}/{User(request)}/media";
        List<KeyValuePair<string, string>> fields;
        if (request.Format == PostFormat.Story)
        {
            var story = request.Media[0];
            fields = [new("media_type", "STORIES"), story.Kind == MediaKind.Video ? new("video_url", story.Url) : new("image_url", story.Url)];
        }
        else if (request.Media.Count > 1)
        {
            var children = new List<string>(state.Current.Children ?? []);
            for (var i = children.Count; i < request.Media.Count; i++)
            {
                var item = request.Media[i];
                var child = new List<KeyValuePair<string, string>> { new("is_carousel_item", "true") };
                child.AddRange(item.Kind == MediaKind.Video ? [new("media_type", "VIDEO"), new("video_url", item.Url)] : Image(item));
                var created = await SendAsync(request, HttpMethod.Post, path, child, isPublish: false, ct);
                if (created.Refusal is not null)
                {
                    return (null, created.Refusal);
                }

                children.Add(created.Id);
                await state.SaveAsync(state.Current with { Children = [.. children] }, ct);
            }

            // The parent can only be made of finished children.
            foreach (var child in children)
            {
                if (await WaitUntilFinishedAsync(request, state, child, deadline, ct) is { } notFinished)
                {
                    return (null, notFinished);
                }
            }

            fields = [new("media_type", "CAROUSEL"), new("children", string.Join(',', children)), new("caption", request.Content)];
        }
        else
        {
            var item = request.Media.Count == 1
                ? request.Media[0]
                : throw new InvalidOperationException("An Instagram post needs an image or a video; validation lets none through without.");
            // A single video is a reel (Instagram no longer takes VIDEO outside carousels).
            fields = item.Kind == MediaKind.Video
                ? [new("media_type", "REELS"), new("video_url", item.Url), new("caption", request.Content)]
                : [.. Image(item), new("caption", request.Content)];
        }

        var container = await SendAsync(request, HttpMethod.Post, path, fields, isPublish: false, ct);
        return container.Refusal is null ? (container.Id, null) : (null, container.Refusal);
    }

    /// <summary>Null when FINISHED; otherwise the outcome for this attempt.</summary>
    private async Task<PublishOutcome?> WaitUntilFinishedAsync(
        PublishRequest request, PublishState state, string container, DateTimeOffset deadline, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        while (true)
        {
            var status = await SendAsync(
                request, HttpMethod.Get, $"{settings.Version}/{container}?fields=status_code,status", null, isPublish: false, ct);
            string? code;
            if (status.Error is { Code: 100, Subcode: 33 })
            {
                // A known Graph bug answers "does not exist" for containers that do: read again.
                code = null;
            }
            else if (status.Refusal is not null)
            {
                return status.Refusal;
            }
            else
            {
                code = status.Body!.Value.GetProperty("status_code").GetString();
            }

            switch (code)
            {
                case "FINISHED":
                    return null;
                case "PUBLISHED":
                    return new PublishOutcome.Unknown($"Container {container} is already published");
                case "ERROR":
                    var detail = status.Body!.Value.TryGetProperty("status", out var s) ? s.ToString() : code;
                    var subcode = MetaErrorClassifier.ContainerErrorSubcode(detail);
                    if (!MetaErrorClassifier.IsRetryableContainerError(subcode))
                    {
                        return new PublishOutcome.Permanent($"Instagram could not process the media: {detail}");
                    }

                    await DropContainersAsync(state, ct);
                    return new PublishOutcome.Transient($"Container {container} failed with a retryable error ({detail}); a new one is made on the next attempt.");
                case "EXPIRED":
                    await DropContainersAsync(state, ct);
                    return new PublishOutcome.Transient($"Container {container} expired (24 h); a new one is made on the next attempt.");
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return code is null
                    ? new PublishOutcome.Transient($"Instagram kept answering that container {container} does not exist; the next attempt asks again.")
                    : new PublishOutcome.NotReady(
                        string.Create(CultureInfo.InvariantCulture, $"Container {container} is still {code} after {settings.StatusPollMaxSeconds:0} s; it is resumed later without spending an attempt."),
                        clock.GetUtcNow().AddSeconds(Math.Max(settings.StatusPollSeconds, 30)));
            }

            await Task.Delay(TimeSpan.FromSeconds(settings.StatusPollSeconds), clock, ct);
        }
    }

    private static Task DropContainersAsync(PublishState state, CancellationToken ct) =>
        state.SaveAsync(state.Current with { ContainerId = null, Children = null }, ct);

    private async Task<System.Text.Json.JsonElement> ReadAsync(PublishRequest request, string path, CancellationToken ct)
    {
        var answer = await SendAsync(request, HttpMethod.Get, path, null, isPublish: false, ct);
        return answer.Refusal is null
            ? answer.Body!.Value
            : throw new PlatformUnavailableException($"Instagram could not answer the reconciliation read: {answer.Refusal}");
    }

    /// <summary>One Graph call on the account's host: Instagram Login accounts are called on graph.instagram.com.</summary>
    private Task<GraphAnswer> SendAsync(
        PublishRequest request, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? form, bool isPublish, CancellationToken ct) =>
        GraphApi.SendAsync(
            http.CreateClient(request.Login == AccountLogin.Instagram ? InstagramLoginClientName : HttpClientName),
            method, path, request.AccessToken, form, isPublish, clock.GetUtcNow(), "Instagram", ct);

    private static string User(PublishRequest request) => Uri.EscapeDataString(request.ExternalAccountId);

    /// <summary>An image's fields: its URL, and its alternative text when it has one (images only, per Instagram).</summary>
    private static List<KeyValuePair<string, string>> Image(PostMedia image) =>
        image.AltText is { } alt ? [new("image_url", image.Url), new("alt_text", alt)] : [new("image_url", image.Url)];
}
