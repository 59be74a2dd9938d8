using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scheduler.Domain.Common;

/// <summary>
/// The one name an enum value has outside the code — in JSON, in query strings and in the database: its
/// <see cref="JsonStringEnumMemberNameAttribute"/>, else its snake_case name (<c>needs_reconnect</c>, <c>linkedin</c>).
/// </summary>
public static class EnumNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Cache<TEnum>.Names[value];

    public static IReadOnlyDictionary<TEnum, string> All<TEnum>()
        where TEnum : struct, Enum => Cache<TEnum>.Names;

    /// <summary>The value named <paramref name="name"/>; a name that is none of them throws.</summary>
    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum => Cache<TEnum>.Values.TryGetValue(name, out var value)
        ? value
        : throw new ArgumentOutOfRangeException(nameof(name), name, $"Not a {typeof(TEnum).Name}.");

    private static class Cache<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(v => v, NameOf);

        public static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(p => p.Value, p => p.Key);

        private static string NameOf(TEnum value)
        {
            var member = typeof(TEnum).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)!;
            return member.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                   ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        }
    }
}
