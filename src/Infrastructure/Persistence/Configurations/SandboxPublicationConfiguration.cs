using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Infrastructure.Platforms.Sandbox;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class SandboxPublicationConfiguration : IEntityTypeConfiguration<SandboxPublication>
{
    public void Configure(EntityTypeBuilder<SandboxPublication> builder)
    {
        builder.ToTable("sandbox_publications");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Platform).HasMaxLength(16).IsRequired();
        builder.Property(p => p.Outcome).HasMaxLength(32).IsRequired();
        builder.Property(p => p.ExternalPostId).HasMaxLength(200);
        builder.HasIndex(p => new { p.PostId, p.Outcome });
    }
}
