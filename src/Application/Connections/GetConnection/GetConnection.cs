using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Connections;

namespace Scheduler.Application.Connections.GetConnection;

/// <summary>A flow of the company's: its status and, once authorized and until it expires, the accounts found.</summary>
public sealed record GetConnectionQuery(Guid Id, Guid? CompanyId = null) : IQuery<ConnectionDto>, ICompanyScoped;

public sealed class GetConnectionQueryHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : IQueryHandler<GetConnectionQuery, ConnectionDto>
{
    public async ValueTask<ConnectionDto> Handle(GetConnectionQuery query, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.AsNoTracking()
                             .SingleOrDefaultAsync(c => c.Id == query.Id && c.CompanyId == company.Id, cancellationToken)
                         ?? throw new NotFoundException("connection", query.Id);
        var now = clock.UtcNow();
        var candidates = connection.Status == ConnectionStatus.Authorized && !connection.IsExpired(now)
            ? connection.Candidates
            : [];
        var externalIds = candidates.Select(c => c.ExternalAccountId).Distinct().ToList();
        var existing = await db.SocialAccounts.AsNoTracking()
            .Where(a => a.CompanyId == company.Id && externalIds.Contains(a.ExternalAccountId))
            .Select(a => new { a.Id, a.Platform, a.ExternalAccountId })
            .ToListAsync(cancellationToken);
        return new ConnectionDto(
            connection.Id,
            connection.Login,
            connection.Status,
            connection.Error,
            connection.ErrorDescription,
            connection.ClientId,
            connection.CreatedAt,
            connection.ExpiresAt,
            candidates
                .OrderBy(c => c.Platform).ThenBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase)
                .Select(c => new ConnectionAccountDto(
                    c.Platform, c.ExternalAccountId, c.DisplayName, c.Login, c.TokenExpiresAt, c.CanConnect, c.Problem,
                    existing.FirstOrDefault(a => a.Platform == c.Platform && a.ExternalAccountId == c.ExternalAccountId)?.Id))
                .ToList());
    }
}
