using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>
/// What a publisher learned mid-publish (<c>post_schedule.platform_state</c>): an Instagram container, the uploaded
/// media ids by source URL (Facebook photo ids, LinkedIn image URNs). Saved as soon as known, so the next attempt
/// reuses them instead of uploading again.
/// </summary>
public sealed record PlatformState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string? ContainerId { get; init; }

    public Dictionary<string, string> Media { get; init; } = [];

    public static PlatformState Parse(string? json) =>
        string.IsNullOrEmpty(json) ? new PlatformState() : JsonSerializer.Deserialize<PlatformState>(json, Json) ?? new PlatformState();

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}
