using Microsoft.Extensions.Configuration;

namespace Scheduler.Infrastructure.Scheduling;

/// <summary><c>Scheduler:Roles</c>: <c>api</c>, <c>worker</c> or <c>api,worker</c> (the default).</summary>
public sealed record SchedulerRoles(bool Api, bool Worker)
{
    public static SchedulerRoles From(IConfiguration configuration)
    {
        var text = configuration["Scheduler:Roles"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new SchedulerRoles(true, true);
        }

        var roles = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = roles.Where(r => r is not ("api" or "worker")).ToList();
        if (unknown.Count > 0 || roles.Length == 0)
        {
            throw new InvalidOperationException(
                $"Scheduler:Roles must be 'api', 'worker' or 'api,worker'; '{text}' is not.");
        }

        return new SchedulerRoles(roles.Contains("api"), roles.Contains("worker"));
    }
}
