using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.Facebook;

/// <summary>
/// Facebook Pages through the Graph API, in two phases so that a lost answer never makes a second post: phase one
/// creates the post unpublished (<c>POST /{page-id}/feed</c> with <c>published=false</c>; photos uploaded unpublished
/// to <c>/{page-id}/photos</c> and attached with <c>attached_media</c>) and saves its id on the queue row; phase two
/// publishes that post (<c>POST /{post-id}</c> with <c>is_published=true</c>), which is safe to repeat. Reconciliation
/// reads the saved post's <c>is_published</c> instead of guessing from the Page's feed. The Page token travels in the
/// Authorization header only, never in a URL or a body that could be logged.
/// </summary>
public sealed class FacebookPublisher(
    IHttpClientFactory http, IOptionsMonitor<FacebookOptions> options, IPlatformStateStore store, TimeProvider clock)
    : IPlatformPublisher
{
    public const string HttpClientName = "facebook";

    /// <summary>Meta deletes unpublished photos after about a day; older saved ids are uploaded again.</summary>
    public static readonly TimeSpan UnpublishedPhotoLifetime = TimeSpan.FromHours(20);

    public Platform Platform => Platform.Facebook;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var version = options.CurrentValue.Version;
        var state = new PublishState(request, store);
        var postId = state.Current.PostId;
        if (postId is null)
        {
            var (created, refusal) = await CreateUnpublishedAsync(request, state, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            postId = created!;
            await state.SaveAsync(state.Current with { PostId = postId }, cancellationToken);
        }

        var published = await PostAsync($"{version}/{Uri.EscapeDataString(postId)}", [new("is_published", "true")], request.AccessToken, isPublish: true, cancellationToken);
        if (published.Error is { Code: 100, Subcode: 33 })
        {
            // The unpublished post is gone (deleted on the Page): nothing is live; the next attempt makes it again.
            await state.SaveAsync(state.Current with { PostId = null }, cancellationToken);
            return new PublishOutcome.Transient($"The unpublished post {postId} no longer exists; a new one is made on the next attempt.");
        }

        return published.Refusal ?? new PublishOutcome.Published(postId);
    }

    /// <summary>
    /// With a saved post id (phase one done): live when it reads <c>is_published: true</c>. Without one, nothing this
    /// post made can be live — except for a row from before two-phase publishing, so the Page's posts created since
    /// the post's time are matched on their exact message as well (creation time and content, never text alone).
    /// </summary>
    public async Task<string?> FindExistingAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        var version = options.CurrentValue.Version;
        if (PlatformState.Parse(request.LatestPlatformState).PostId is { } postId)
        {
            var post = await GetAsync($"{version}/{Uri.EscapeDataString(postId)}?fields=id,is_published", request.AccessToken, cancellationToken);
            if (post.Error is { Code: 100, Subcode: 33 })
            {
                return null;
            }

            var body = post.Body ?? throw Unanswered(post);
            return body.TryGetProperty("is_published", out var live) && live.ValueKind == JsonValueKind.True ? postId : null;
        }

        var earliest = Reconciliation.Earliest(request, attemptStartedAt);
        var since = earliest.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var feed = await GetAsync(
            $"{version}/{Uri.EscapeDataString(request.ExternalAccountId)}/published_posts?fields=id,message,created_time&since={since}&limit=100",
            request.AccessToken, cancellationToken);
        foreach (var item in (feed.Body ?? throw Unanswered(feed)).GetProperty("data").EnumerateArray())
        {
            if (item.TryGetProperty("message", out var text) && text.GetString()?.Trim() == request.Content.Trim()
                && item.TryGetProperty("created_time", out var created) && GraphTime.TryParse(created.GetString(), out var at)
                && at >= earliest)
            {
                return item.GetProperty("id").GetString();
            }
        }

        return null;
    }

    private async Task<(string? PostId, PublishOutcome? Refusal)> CreateUnpublishedAsync(
        PublishRequest request, PublishState state, CancellationToken ct)
    {
        var version = options.CurrentValue.Version;
        var page = Uri.EscapeDataString(request.ExternalAccountId);
        var (photos, refusal) = await MediaUploads.UploadAllAsync(
            request,
            state,
            async (_, url, token) =>
            {
                var photo = await PostAsync(
                    $"{version}/{page}/photos", [new("url", url), new("published", "false")], request.AccessToken, isPublish: false, token);
                return (photo.Refusal is null ? photo.Id : null, photo.Refusal);
            },
            clock,
            UnpublishedPhotoLifetime,
            ct);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var fields = new List<KeyValuePair<string, string>> { new("message", request.Content), new("published", "false") };
        if (request.Link is not null)
        {
            fields.Add(new("link", request.Link));
        }

        for (var i = 0; i < photos.Count; i++)
        {
            fields.Add(new($"attached_media[{i}]", JsonSerializer.Serialize(new { media_fbid = photos[i] })));
        }

        // Not live yet: a lost answer here leaves at most an unpublished post nobody sees, so it is simply retried.
        var created = await PostAsync($"{version}/{page}/feed", fields, request.AccessToken, isPublish: false, ct);
        return created.Refusal is null ? (created.Id, null) : (null, created.Refusal);
    }

    private static PlatformUnavailableException Unanswered(GraphAnswer answer) =>
        new($"Facebook could not answer the reconciliation read: {answer.Refusal}");

    private Task<GraphAnswer> GetAsync(string path, string token, CancellationToken ct) =>
        GraphApi.SendAsync(http.CreateClient(HttpClientName), HttpMethod.Get, path, token, null, isPublish: false, clock.GetUtcNow(), "Facebook", ct);

    private Task<GraphAnswer> PostAsync(
        string path, IEnumerable<KeyValuePair<string, string>> fields, string token, bool isPublish, CancellationToken ct) =>
        GraphApi.SendAsync(
            http.CreateClient(HttpClientName), HttpMethod.Post, path, token, fields, isPublish, clock.GetUtcNow(), "Facebook", ct);
}
