using System.Text.Json;
using System.Text.Json.Serialization;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>
/// What a publisher learned mid-publish (<c>post_schedule.platform_state</c>), saved the moment it is known so that the
/// next attempt resumes instead of starting over: an Instagram container and its carousel children, the unpublished
/// Facebook post made by phase one, each uploaded media id by its index in the post (with when it was uploaded: Meta
/// drops unpublished photos after about a day), and how many times in a row the platform throttled this post.
/// Keyed by index, never by URL, so its size is bounded by the ids alone (a few hundred bytes for ten media).
/// </summary>
public sealed record PlatformState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public string? ContainerId { get; init; }

    /// <summary>Instagram carousel child containers, in media order.</summary>
    public IReadOnlyList<string>? Children { get; init; }

    /// <summary>The Facebook post made unpublished in phase one of a two-phase publish.</summary>
    public string? PostId { get; init; }

    /// <summary>A Facebook reel or video story whose upload session started (its video id), so a retry resumes it.</summary>
    public string? VideoId { get; init; }

    /// <summary>A link preview's thumbnail, uploaded from the page's <c>og:image</c> (LinkedIn articles).</summary>
    public UploadedMedia? Thumbnail { get; init; }

    /// <summary>Uploaded media by their index in the post.</summary>
    public IReadOnlyDictionary<int, UploadedMedia>? Uploads { get; init; }

    /// <summary>Consecutive throttled attempts (LinkedIn's 429 carries no Retry-After: the wait doubles each time).</summary>
    public int Throttles { get; init; }

    public static PlatformState Parse(string? json) =>
        string.IsNullOrEmpty(json) ? new PlatformState() : JsonSerializer.Deserialize<PlatformState>(json, Json) ?? new PlatformState();

    public UploadedMedia? Upload(int index) => Uploads?.GetValueOrDefault(index);

    public PlatformState WithUpload(int index, UploadedMedia media) =>
        this with { Uploads = new Dictionary<int, UploadedMedia>(Uploads ?? new Dictionary<int, UploadedMedia>()) { [index] = media } };

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A media id the platform gave, and when.</summary>
public sealed record UploadedMedia(string Id, DateTimeOffset At);

/// <summary>One publish's view of its row's <see cref="PlatformState"/>: read once, saved (fenced) at each step.</summary>
public sealed class PublishState(PublishRequest request, IPlatformStateStore store)
{
    public PlatformState Current { get; private set; } = PlatformState.Parse(request.LatestPlatformState);

    /// <summary>Saves the next state, or stops the publish with <see cref="LeaseLostException"/> when the lease is gone.</summary>
    public async Task SaveAsync(PlatformState next, CancellationToken cancellationToken)
    {
        await store.SaveOrStopAsync(request, next.Serialize(), cancellationToken);
        Current = next;
    }
}
