using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts;

/// <summary>The company's own accounts and clients, as the commands that schedule posts look them up (another company's: 404).</summary>
public static class CompanyAccounts
{
    /// <summary>The account, tracked (a validator's earlier read answers it from the change tracker).</summary>
    public static async Task<SocialAccount> FindAsync(IApplicationDbContext db, ICurrentCompany company, Guid id, CancellationToken ct)
    {
        var account = await db.FindSocialAccountAsync(id, ct);
        return account is not null && account.CompanyId == company.Id ? account : throw new NotFoundException("social account", id);
    }

    public static async Task EnsureClientAsync(IApplicationDbContext db, ICurrentCompany company, Guid? clientId, CancellationToken ct)
    {
        if (clientId is { } id && !await db.Clients.AnyAsync(c => c.Id == id && c.CompanyId == company.Id, ct))
        {
            throw new NotFoundException("client", id);
        }
    }
}
