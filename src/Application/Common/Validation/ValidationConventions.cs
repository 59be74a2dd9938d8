using System.Text.Json;
using FluentValidation;

namespace Scheduler.Application.Common.Validation;

/// <summary>Failures name fields as the JSON does (<c>runAt</c>, not <c>RunAt</c>).</summary>
public static class ValidationConventions
{
    public static void Apply()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
    }
}
