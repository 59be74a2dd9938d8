using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Domain.Companies;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>
/// Creates the company row on first sight with <c>INSERT IGNORE</c> (safe when several requests of a new tenant
/// arrive at once), then remembers it: a known company costs a request no database write.
/// </summary>
internal sealed class CompanyProvisioner(SchedulerDbContext db, KnownCompanies known, TimeProvider clock) : ICompanyProvisioner
{
    public async Task EnsureAsync(Guid companyId, string? name, CancellationToken cancellationToken)
    {
        if (known.Contains(companyId))
        {
            return;
        }

        var company = Company.Provision(companyId, name ?? string.Empty, clock.UtcNow());
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT IGNORE INTO companies (id, name, created_at) VALUES ({company.Id}, {company.Name}, {company.CreatedAt.UtcDateTime})",
            cancellationToken);
        known.Add(companyId);
    }
}

/// <summary>
/// The companies this process has seen provisioned (companies are never deleted). Bounded: past
/// <see cref="Capacity"/> it starts over, which costs one <c>INSERT IGNORE</c> per company again.
/// </summary>
public sealed class KnownCompanies
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<Guid, byte> _ids = new();

    public bool Contains(Guid companyId) => _ids.ContainsKey(companyId);

    public void Add(Guid companyId)
    {
        if (_ids.Count >= Capacity)
        {
            _ids.Clear();
        }

        _ids.TryAdd(companyId, 0);
    }

    /// <summary>Forgets every company (after the rows were removed behind this process's back, as tests do).</summary>
    public void Clear() => _ids.Clear();
}
