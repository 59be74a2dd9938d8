using System.Text.Json;

namespace Scheduler.Infrastructure.Platforms.Meta;

/// <summary>The Graph API's error envelope: <c>{"error":{"message","type","code","error_subcode","is_transient",…}}</c>.</summary>
public sealed record GraphError(int Code, int? Subcode, string Message, string? Type, bool? IsTransient, string? UserMessage)
{
    public static GraphError? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new GraphError(
                Int(error, "code") ?? 0,
                Int(error, "error_subcode"),
                Text(error, "message") ?? "Graph API error",
                Text(error, "type"),
                error.TryGetProperty("is_transient", out var transient) && transient.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? transient.GetBoolean()
                    : null,
                Text(error, "error_user_msg"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() =>
        $"Graph error {Code}{(Subcode is { } sub ? $"/{sub}" : string.Empty)}: {UserMessage ?? Message}";

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
