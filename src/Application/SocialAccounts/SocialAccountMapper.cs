using Riok.Mapperly.Abstractions;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts;

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class SocialAccountMapper
{
    [MapperIgnoreSource(nameof(SocialAccount.AccessTokenEncrypted))]
    [MapperIgnoreSource(nameof(SocialAccount.RefreshTokenEncrypted))]
    [MapperIgnoreSource(nameof(SocialAccount.RefreshTokenExpiresAt))]
    [MapperIgnoreSource(nameof(SocialAccount.IsActive))]
    [MapperIgnoreSource(nameof(SocialAccount.DomainEvents))]
    public static partial SocialAccountDto ToDto(this SocialAccount account);

    public static partial IQueryable<SocialAccountDto> ProjectToDto(this IQueryable<SocialAccount> accounts);
}
