using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.SocialAccounts;
using Scheduler.Domain.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Connections.ConnectAccounts;

/// <summary>
/// Connects the chosen accounts of an authorized flow. An account the company already has is reconnected: same id,
/// the fresh token, active again. All or nothing: an id that is not listed, or cannot be connected, refuses the lot.
/// </summary>
public sealed record ConnectAccountsCommand(
    Guid ConnectionId,
    IReadOnlyList<string> ExternalAccountIds,
    Guid? ClientId = null,
    Guid? CompanyId = null) : ICommand<IReadOnlyList<SocialAccountDto>>, ICompanyScoped, IIdempotentCommand
{
    public const int MaxAccounts = 100;

    public string? IdempotencyKey { get; init; }
}

public sealed class ConnectAccountsCommandValidator : AbstractValidator<ConnectAccountsCommand>
{
    public ConnectAccountsCommandValidator()
    {
        RuleFor(c => c.ExternalAccountIds).NotEmpty()
            .Must(ids => ids.Count <= ConnectAccountsCommand.MaxAccounts)
            .WithMessage($"At most {ConnectAccountsCommand.MaxAccounts} accounts at once.");
        RuleForEach(c => c.ExternalAccountIds).NotEmpty().MaximumLength(SocialAccount.ExternalAccountIdMaxLength);
        RuleFor(c => c.ClientId).NotEqual(Guid.Empty);
    }
}

public sealed class ConnectAccountsCommandHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : ICommandHandler<ConnectAccountsCommand, IReadOnlyList<SocialAccountDto>>
{
    public async ValueTask<IReadOnlyList<SocialAccountDto>> Handle(ConnectAccountsCommand command, CancellationToken cancellationToken)
    {
        var connection = await db.Connections
                             .SingleOrDefaultAsync(c => c.Id == command.ConnectionId && c.CompanyId == company.Id, cancellationToken)
                         ?? throw new NotFoundException("connection", command.ConnectionId);
        var now = clock.UtcNow();
        RefuseUnlisted(connection, command.ExternalAccountIds, now);
        var clientId = command.ClientId ?? connection.ClientId;
        if (clientId is { } id && !await db.Clients.AnyAsync(c => c.Id == id && c.CompanyId == company.Id, cancellationToken))
        {
            throw new NotFoundException("client", id);
        }

        var chosen = connection.Choose(command.ExternalAccountIds, now);
        var externalIds = chosen.Select(c => c.ExternalAccountId).ToList();
        var existing = await db.SocialAccounts
            .Where(a => a.CompanyId == company.Id && externalIds.Contains(a.ExternalAccountId))
            .ToListAsync(cancellationToken);
        var connected = new List<SocialAccount>(chosen.Count);
        foreach (var candidate in chosen)
        {
            var refresh = candidate.RefreshTokenEncrypted is { } sealedRefresh ? new RefreshToken(sealedRefresh, candidate.RefreshTokenExpiresAt) : null;
            var account = existing.SingleOrDefault(a => a.Platform == candidate.Platform && a.ExternalAccountId == candidate.ExternalAccountId);
            if (account is not null)
            {
                account.Reconnect(candidate.DisplayName, candidate.AccessTokenEncrypted!, candidate.TokenExpiresAt, clientId, now, candidate.Login, refresh);
            }
            else
            {
                account = SocialAccount.Connect(
                    company.Id, clientId, candidate.Platform, candidate.ExternalAccountId, candidate.DisplayName,
                    candidate.AccessTokenEncrypted!, candidate.TokenExpiresAt, now, candidate.Login, refresh);
                db.SocialAccounts.Add(account);
            }

            connected.Add(account);
        }

        return connected.Select(a => a.ToDto()).ToList();
    }

    /// <summary>Ids the flow did not list, or cannot connect, are the caller's mistake: 400 naming each.</summary>
    private static void RefuseUnlisted(Connection connection, IReadOnlyList<string> ids, DateTimeOffset now)
    {
        if (connection.Status != ConnectionStatus.Authorized || connection.IsExpired(now))
        {
            return; // the domain says why nothing can be connected
        }

        var failures = ids.Distinct(StringComparer.Ordinal)
            .Select(connection.ProblemWith)
            .OfType<string>()
            .Select(problem => new ValidationFailure("externalAccountIds", problem))
            .ToList();
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }
}
