using Scheduler.Application.SocialAccounts;

namespace Scheduler.Application.Clients;

public sealed record ClientDto(
    Guid Id,
    Guid CompanyId,
    string Name,
    DateTimeOffset CreatedAt,
    IReadOnlyList<SocialAccountDto> Accounts);
