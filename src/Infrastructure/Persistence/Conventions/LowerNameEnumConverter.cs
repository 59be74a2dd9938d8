using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Scheduler.Domain.Common;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary>Stores an enum as the same name the API uses (<see cref="EnumNames"/>).</summary>
public sealed class LowerNameEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => EnumNames.Of(value),
    text => EnumNames.Parse<TEnum>(text))
    where TEnum : struct, Enum;
