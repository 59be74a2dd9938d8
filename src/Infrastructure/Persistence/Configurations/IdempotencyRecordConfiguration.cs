using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Companies;
using Scheduler.Infrastructure.Persistence.Idempotency;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(r => new { r.CompanyId, r.Key });
        // Keys are compared exactly: "abc" and "ABC" are two keys.
        builder.Property(r => r.Key).HasColumnName("idempotency_key").HasMaxLength(IdempotencyRecord.KeyMaxLength).UseCollation("utf8mb4_bin");
        builder.Property(r => r.RequestHash).HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.Property(r => r.Response).HasColumnType("mediumtext");
        builder.HasOne<Company>().WithMany().HasForeignKey(r => r.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.ExpiresAt);
    }
}
