using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Platforms.Meta;

namespace Scheduler.Infrastructure.Platforms.Facebook;

/// <summary>
/// Facebook Pages through the Graph API. Feed posts (text, link, photos) go out in two phases so that a lost answer never makes a second post: phase one
/// creates the post unpublished (<c>POST /{page-id}/feed</c> with <c>published=false</c>; photos uploaded unpublished
/// to <c>/{page-id}/photos</c> and attached with <c>attached_media</c>) and saves its id on the queue row; phase two
/// publishes that post (<c>POST /{post-id}</c> with <c>is_published=true</c>), which is safe to repeat. Reconciliation
/// reads the saved post's <c>is_published</c> instead of guessing from the Page's feed. The Page token travels in the
/// Authorization header only, never in a URL or a body that could be logged. A single video is a feed video
/// (<c>/videos</c> with <c>file_url</c>); reels (<c>/video_reels</c>) and video stories (<c>/video_stories</c>) go through
/// Meta's upload session, whose video id is saved as soon as it exists; photo stories attach an unpublished photo
/// (<c>/photo_stories</c>). Photos carry their alternative text (<c>alt_text_custom</c>).
/// </summary>
public sealed class FacebookPublisher(
    IHttpClientFactory http, IOptionsMonitor<FacebookOptions> options, IPlatformStateStore store, TimeProvider clock)
    : IPlatformPublisher
{
    public const string HttpClientName = "facebook";

    /// <summary>Meta deletes unpublished photos after about a day; older saved ids are uploaded again.</summary>
    public static readonly TimeSpan UnpublishedPhotoLifetime = TimeSpan.FromHours(20);

    public Platform Platform => Platform.Facebook;

    public Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) =>
        KindOf(request) switch
        {
            FacebookKind.PhotoStory => PublishPhotoStoryAsync(request, cancellationToken),
            FacebookKind.VideoStory => PublishUploadedVideoAsync(request, "video_stories", cancellationToken),
            FacebookKind.Reel => PublishUploadedVideoAsync(request, "video_reels", cancellationToken),
            FacebookKind.Video => PublishVideoAsync(request, cancellationToken),
            _ => PublishFeedPostAsync(request, cancellationToken),
        };

    private async Task<PublishOutcome> PublishFeedPostAsync(PublishRequest request, CancellationToken cancellationToken)
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
        var saved = PlatformState.Parse(request.LatestPlatformState);
        switch (KindOf(request))
        {
            case FacebookKind.PhotoStory:
                return saved.Upload(0) is { } photo ? await FindStoryAsync(request, photo.Id, cancellationToken) : null;
            case FacebookKind.VideoStory:
                return saved.VideoId is { } story ? await FindStoryAsync(request, story, cancellationToken) : null;
            case FacebookKind.Reel:
                return saved.VideoId is { } reel ? await FindReelAsync(request, reel, cancellationToken) : null;
            case FacebookKind.Video:
                return await FindVideoAsync(request, attemptStartedAt, cancellationToken);
        }

        if (saved.PostId is { } postId)
        {
            var post = await GetAsync($"{version}/{Uri.EscapeDataString(postId)}?fields=id,is_published", request.AccessToken, cancellationToken);
            if (post.Error is { Code: 100, Subcode: 33 })
            {
                return null;
            }

            var body = post.Body ?? throw Unanswered(post);
            return body.TryGetProperty("is_published", out var live) && live.ValueKind == JsonValueKind.True ? postId : null;
        }

        return await FindByTextSinceAsync(request, attemptStartedAt, "published_posts", "message", cancellationToken);
    }

    /// <summary>
    /// <c>POST /{post-id}/comments</c> with the message, as the Page (its token): the answer's id is the comment's
    /// (the post's object id, an underscore, the comment's own). Reels and feed videos are commented on by video id.
    /// </summary>
    public async Task<PublishOutcome> CommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        var comment = await PostAsync(
            $"{options.CurrentValue.Version}/{Uri.EscapeDataString(externalPostId)}/comments",
            [new("message", message)], request.AccessToken, isPublish: true, cancellationToken);
        return comment.Refusal ?? new PublishOutcome.Published(comment.Id);
    }

    /// <summary>The post's newest comments (<c>GET /{post-id}/comments</c>), matched on the Page as author and the exact message.</summary>
    public async Task<string?> FindCommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        var comments = await GetAsync(
            $"{options.CurrentValue.Version}/{Uri.EscapeDataString(externalPostId)}/comments?fields=id,message,from&order=reverse_chronological&limit=100",
            request.AccessToken, cancellationToken);
        foreach (var comment in (comments.Body ?? throw Unanswered(comments)).GetProperty("data").EnumerateArray())
        {
            var byPage = !comment.TryGetProperty("from", out var from)
                         || (from.TryGetProperty("id", out var author) && author.GetString() == request.ExternalAccountId);
            if (byPage && comment.TryGetProperty("message", out var text) && text.GetString()?.Trim() == message.Trim())
            {
                return comment.GetProperty("id").GetString();
            }
        }

        return null;
    }

    /// <summary>A photo story: the photo uploaded unpublished (its id saved), then <c>POST /{page}/photo_stories</c>.</summary>
    private async Task<PublishOutcome> PublishPhotoStoryAsync(PublishRequest request, CancellationToken ct)
    {
        var version = options.CurrentValue.Version;
        var page = Uri.EscapeDataString(request.ExternalAccountId);
        var state = new PublishState(request, store);
        var (photos, refusal) = await MediaUploads.UploadAllAsync(
            request, state, (_, url, token) => UploadPhotoAsync(request, url, null, token), clock, UnpublishedPhotoLifetime, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var story = await PostAsync($"{version}/{page}/photo_stories", [new("photo_id", photos[0])], request.AccessToken, isPublish: true, ct);
        return story.Refusal ?? new PublishOutcome.Published(StoryPostId(story, photos[0]));
    }

    /// <summary>
    /// Reels and video stories share Meta's upload session: <c>upload_phase=start</c> gives a video id (saved) and an
    /// upload URL, Meta fetches the file from its URL (<c>file_url</c> header), and <c>upload_phase=finish</c> publishes.
    /// </summary>
    private async Task<PublishOutcome> PublishUploadedVideoAsync(PublishRequest request, string edge, CancellationToken ct)
    {
        var version = options.CurrentValue.Version;
        var path = $"{version}/{Uri.EscapeDataString(request.ExternalAccountId)}/{edge}";
        var state = new PublishState(request, store);
        var videoId = state.Current.VideoId;
        if (videoId is null)
        {
            var start = await PostAsync(path, [new("upload_phase", "start")], request.AccessToken, isPublish: false, ct);
            if (start.Refusal is not null)
            {
                return start.Refusal;
            }

            videoId = start.Body!.Value.GetProperty("video_id").GetString()!;
            var uploadUrl = start.Body.Value.GetProperty("upload_url").GetString()!;
            await state.SaveAsync(state.Current with { VideoId = videoId }, ct);
            if (await UploadHostedVideoAsync(request, uploadUrl, ct) is { } failed)
            {
                // The session may be unusable now: the next attempt starts a new one.
                await state.SaveAsync(state.Current with { VideoId = null }, ct);
                return failed;
            }
        }

        List<KeyValuePair<string, string>> finish = [new("upload_phase", "finish"), new("video_id", videoId)];
        if (edge == "video_reels")
        {
            finish.Add(new("video_state", "PUBLISHED"));
            finish.Add(new("description", request.Content));
        }

        var done = await PostAsync(path, finish, request.AccessToken, isPublish: true, ct);
        return done.Refusal ?? new PublishOutcome.Published(edge == "video_reels" ? videoId : StoryPostId(done, videoId));
    }

    /// <summary>A feed video: <c>POST /{page}/videos</c> with <c>file_url</c> (Meta fetches it) and the text as description.</summary>
    private async Task<PublishOutcome> PublishVideoAsync(PublishRequest request, CancellationToken ct)
    {
        var path = $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/videos";
        var video = await PostAsync(
            path, [new("file_url", request.Media[0].Url), new("description", request.Content)], request.AccessToken, isPublish: true, ct);
        return video.Refusal ?? new PublishOutcome.Published(video.Id);
    }

    private async Task<PublishOutcome?> UploadHostedVideoAsync(PublishRequest request, string uploadUrl, CancellationToken ct)
    {
        using var upload = new HttpRequestMessage(HttpMethod.Post, uploadUrl);
        upload.Headers.TryAddWithoutValidation("Authorization", $"OAuth {request.AccessToken}");
        upload.Headers.TryAddWithoutValidation("file_url", request.Media[0].Url);
        try
        {
            using var answer = await http.CreateClient(HttpClientName).SendAsync(upload, ct);
            var response = await PlatformResponse.ReadAsync(answer, ct);
            return response.IsSuccess
                ? null
                : MetaErrorClassifier.Classify(response.Status, response.Body, response.Headers, clock.GetUtcNow(), isPublish: false);
        }
        catch (Exception ex) when (TransportFailures.IsTransport(ex) && !ct.IsCancellationRequested)
        {
            return TransportFailures.Classify(ex, "Facebook", isPublish: false);
        }
    }

    private async Task<(string? Id, PublishOutcome? Refusal)> UploadPhotoAsync(PublishRequest request, string url, string? altText, CancellationToken ct)
    {
        List<KeyValuePair<string, string>> fields = [new("url", url), new("published", "false")];
        if (altText is not null)
        {
            fields.Add(new("alt_text_custom", altText));
        }

        var photo = await PostAsync(
            $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/photos", fields, request.AccessToken, isPublish: false, ct);
        return (photo.Refusal is null ? photo.Id : null, photo.Refusal);
    }

    /// <summary>The Page's stories (Meta lists them only with the Page's story archive on), matched on the media id.</summary>
    private async Task<string?> FindStoryAsync(PublishRequest request, string mediaId, CancellationToken ct)
    {
        var stories = await GetAsync(
            $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/stories?fields=post_id,media_id,status,creation_time",
            request.AccessToken, ct);
        foreach (var story in (stories.Body ?? throw Unanswered(stories)).GetProperty("data").EnumerateArray())
        {
            if (story.TryGetProperty("media_id", out var media) && media.GetString() == mediaId)
            {
                return story.TryGetProperty("post_id", out var post) ? post.GetString() : mediaId;
            }
        }

        return null;
    }

    /// <summary>A reel went out when its upload session's publishing phase is complete.</summary>
    private async Task<string?> FindReelAsync(PublishRequest request, string videoId, CancellationToken ct)
    {
        var reel = await GetAsync($"{options.CurrentValue.Version}/{Uri.EscapeDataString(videoId)}?fields=status", request.AccessToken, ct);
        var body = reel.Body ?? throw Unanswered(reel);
        return body.TryGetProperty("status", out var status) && status.TryGetProperty("publishing_phase", out var phase)
               && phase.TryGetProperty("status", out var done) && done.GetString() == "complete"
            ? videoId
            : null;
    }

    /// <summary>A feed video has no id before it is live: the Page's videos since the post's time, matched on the text.</summary>
    private Task<string?> FindVideoAsync(PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken ct) =>
        FindByTextSinceAsync(request, attemptStartedAt, "videos", "description", ct);

    /// <summary>
    /// The Page's items on an edge created since the post's time (less the clock skew) whose text field is the post's
    /// content: creation time and content, never text alone.
    /// </summary>
    private async Task<string?> FindByTextSinceAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, string edge, string textField, CancellationToken ct)
    {
        var earliest = Reconciliation.Earliest(request, attemptStartedAt);
        var since = earliest.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var items = await GetAsync(
            $"{options.CurrentValue.Version}/{Uri.EscapeDataString(request.ExternalAccountId)}/{edge}?fields=id,{textField},created_time&since={since}&limit=100",
            request.AccessToken, ct);
        foreach (var item in (items.Body ?? throw Unanswered(items)).GetProperty("data").EnumerateArray())
        {
            if (item.TryGetProperty(textField, out var text) && text.GetString()?.Trim() == request.Content.Trim()
                && item.TryGetProperty("created_time", out var created) && GraphTime.TryParse(created.GetString(), out var at)
                && at >= earliest)
            {
                return item.GetProperty("id").GetString();
            }
        }

        return null;
    }

    private static string StoryPostId(GraphAnswer answer, string fallback) =>
        answer.Body is { } body && body.TryGetProperty("post_id", out var post) && post.GetString() is { Length: > 0 } id ? id : fallback;

    private static FacebookKind KindOf(PublishRequest request) => request switch
    {
        { Format: PostFormat.Story } when request.Media is [{ Kind: MediaKind.Video }] => FacebookKind.VideoStory,
        { Format: PostFormat.Story } => FacebookKind.PhotoStory,
        { Format: PostFormat.Reel } => FacebookKind.Reel,
        _ when request.Media is [{ Kind: MediaKind.Video }] => FacebookKind.Video,
        _ => FacebookKind.FeedPost,
    };

    private enum FacebookKind
    {
        FeedPost,
        Video,
        Reel,
        PhotoStory,
        VideoStory,
    }

    private async Task<(string? PostId, PublishOutcome? Refusal)> CreateUnpublishedAsync(
        PublishRequest request, PublishState state, CancellationToken ct)
    {
        var version = options.CurrentValue.Version;
        var page = Uri.EscapeDataString(request.ExternalAccountId);
        var (photos, refusal) = await MediaUploads.UploadAllAsync(
            request,
            state,
            (index, url, token) => UploadPhotoAsync(request, url, request.Media[index].AltText, token),
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
