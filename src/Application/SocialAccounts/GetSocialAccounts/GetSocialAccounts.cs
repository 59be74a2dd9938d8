using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.SocialAccounts.GetSocialAccounts;

public sealed record GetSocialAccountsQuery(Guid? ClientId = null, Guid? CompanyId = null)
    : IQuery<IReadOnlyList<SocialAccountDto>>, ICompanyScoped;

public sealed class GetSocialAccountsQueryHandler(IApplicationDbContext db, ICurrentCompany company)
    : IQueryHandler<GetSocialAccountsQuery, IReadOnlyList<SocialAccountDto>>
{
    public async ValueTask<IReadOnlyList<SocialAccountDto>> Handle(
        GetSocialAccountsQuery query, CancellationToken cancellationToken)
    {
        return await db.SocialAccounts.AsNoTracking()
            .Where(a => a.CompanyId == company.Id && (query.ClientId == null || a.ClientId == query.ClientId))
            .OrderBy(a => a.DisplayName).ThenBy(a => a.Id)
            .ProjectToDto()
            .ToListAsync(cancellationToken);
    }
}
