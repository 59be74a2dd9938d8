using FluentValidation;
using FluentValidation.Results;
using Scheduler.Domain.Common;

namespace Scheduler.Web.Infrastructure;

/// <summary>Reads an enum from a query string by the same names the JSON uses.</summary>
public static class EnumQuery
{
    public static TEnum? Parse<TEnum>(string? value, string parameter)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var names = EnumNames.All<TEnum>();
        foreach (var (member, name) in names)
        {
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return member;
            }
        }

        throw new ValidationException([
            new ValidationFailure(parameter, $"{parameter} must be one of {string.Join(", ", names.Values)}."),
        ]);
    }
}
