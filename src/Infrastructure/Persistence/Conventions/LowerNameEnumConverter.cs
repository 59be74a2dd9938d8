using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary>
/// Stores an enum as the same lower-case name the API uses (<c>needs_reconnect</c>, <c>linkedin</c>):
/// the member's <see cref="JsonStringEnumMemberNameAttribute"/>, else its snake_case name.
/// </summary>
public sealed class LowerNameEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => Names.ToText[value],
    text => Names.FromText[text])
    where TEnum : struct, Enum
{
    private static class Names
    {
        public static readonly Dictionary<TEnum, string> ToText = Enum.GetValues<TEnum>().ToDictionary(v => v, NameOf);

        public static readonly Dictionary<string, TEnum> FromText = ToText.ToDictionary(p => p.Value, p => p.Key);

        private static string NameOf(TEnum value)
        {
            var member = typeof(TEnum).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)!;
            return member.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                   ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        }
    }
}
