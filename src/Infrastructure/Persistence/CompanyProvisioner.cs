using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Domain.Companies;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>
/// Creates the company row on first sight with <c>INSERT IGNORE</c>: one primary-key probe per call, safe when
/// several requests of a new tenant arrive at once.
/// </summary>
internal sealed class CompanyProvisioner(SchedulerDbContext db, TimeProvider clock) : ICompanyProvisioner
{
    public async Task EnsureAsync(Guid companyId, string? name, CancellationToken cancellationToken)
    {
        var company = Company.Provision(companyId, name ?? string.Empty, clock.UtcNow());
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT IGNORE INTO companies (id, name, created_at) VALUES ({company.Id}, {company.Name}, {company.CreatedAt.UtcDateTime})",
            cancellationToken);
    }
}
