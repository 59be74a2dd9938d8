using System.Text.Json;
using System.Text.Json.Serialization;
using Scheduler.Domain.Posts;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary>
/// <c>post_details.media</c>: a JSON array of <c>{"url","kind","altText"}</c>. Rows written before media had kinds and
/// alternative text hold plain URL strings; they read as media whose kind follows the file name.
/// </summary>
public static class MediaJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(IReadOnlyList<PostMedia> media) => JsonSerializer.Serialize(media, Json);

    public static IReadOnlyList<PostMedia> Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var media = new List<PostMedia>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            media.Add(item.ValueKind == JsonValueKind.String
                ? PostMedia.From(item.GetString()!)
                : item.Deserialize<PostMedia>(Json)!);
        }

        return media.AsReadOnly();
    }
}
