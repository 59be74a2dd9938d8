using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.SocialAccounts;

namespace Scheduler.Application.Clients.GetClients;

/// <summary>The company's clients, each with its connected accounts.</summary>
public sealed record GetClientsQuery(Guid? CompanyId = null) : IQuery<IReadOnlyList<ClientDto>>, ICompanyScoped;

public sealed class GetClientsQueryHandler(IApplicationDbContext db, ICurrentCompany company)
    : IQueryHandler<GetClientsQuery, IReadOnlyList<ClientDto>>
{
    public async ValueTask<IReadOnlyList<ClientDto>> Handle(GetClientsQuery query, CancellationToken cancellationToken)
    {
        var clients = await db.Clients.AsNoTracking()
            .Where(c => c.CompanyId == company.Id)
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        var accounts = await db.SocialAccounts.AsNoTracking()
            .Where(a => a.CompanyId == company.Id && a.ClientId != null)
            .OrderBy(a => a.DisplayName).ThenBy(a => a.Id)
            .ProjectToDto()
            .ToListAsync(cancellationToken);
        var byClient = accounts.ToLookup(a => a.ClientId);
        return clients
            .Select(c => new ClientDto(c.Id, c.CompanyId, c.Name, c.CreatedAt, byClient[c.Id].ToList()))
            .ToList();
    }
}
