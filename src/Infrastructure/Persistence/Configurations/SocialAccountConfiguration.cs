using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Clients;
using Scheduler.Domain.Companies;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class SocialAccountConfiguration : IEntityTypeConfiguration<SocialAccount>
{
    public void Configure(EntityTypeBuilder<SocialAccount> builder)
    {
        builder.ToTable("social_accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.ExternalAccountId).HasMaxLength(SocialAccount.ExternalAccountIdMaxLength).IsRequired();
        builder.Property(a => a.DisplayName).HasMaxLength(SocialAccount.DisplayNameMaxLength).IsRequired();
        builder.Property(a => a.AccessTokenEncrypted).HasColumnType("text").IsRequired();
        builder.Property(a => a.RefreshTokenEncrypted).HasColumnType("text");
        builder.Property(a => a.StatusReason).HasMaxLength(1000);
        builder.Property(a => a.PostingSlots)
            .HasColumnType("json")
            .HasConversion(slots => Conventions.PostingSlotsJson.Serialize(slots!), json => Conventions.PostingSlotsJson.Deserialize(json));
        // Rows from before logins were recorded, and raw SQL seeds: Facebook Login (LinkedIn rows are set by the migration).
        builder.Property(a => a.Login).HasDefaultValue(AccountLogin.Facebook);
        builder.HasOne<Company>().WithMany().HasForeignKey(a => a.CompanyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Client>().WithMany().HasForeignKey(a => a.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.CompanyId, a.Platform, a.ExternalAccountId }).IsUnique();
        builder.Ignore(a => a.IsActive);
        builder.Ignore(a => a.DomainEvents);
    }
}
