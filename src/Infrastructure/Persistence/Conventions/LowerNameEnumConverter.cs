using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Scheduler.Domain.Common;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary>Stores an enum as the same name the API uses (<see cref="EnumNames"/>).</summary>
public sealed class LowerNameEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => EnumNames.Of(value),
    text => FromText[text])
    where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> FromText = EnumNames.All<TEnum>().ToDictionary(p => p.Value, p => p.Key);
}
