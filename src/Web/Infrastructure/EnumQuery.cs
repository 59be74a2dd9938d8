using System.Reflection;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;

namespace Scheduler.Web.Infrastructure;

/// <summary>Reads an enum from a query string by the same lower-case names the JSON uses.</summary>
public static class EnumQuery
{
    public static TEnum? Parse<TEnum>(string? value, string parameter)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var names = Enum.GetValues<TEnum>().ToDictionary(NameOf, v => v, StringComparer.OrdinalIgnoreCase);
        return names.TryGetValue(value.Trim(), out var parsed)
            ? parsed
            : throw new ValidationException([
                new ValidationFailure(parameter, $"{parameter} must be one of {string.Join(", ", names.Keys)}."),
            ]);
    }

    private static string NameOf<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? value.ToString().ToLowerInvariant();
}
