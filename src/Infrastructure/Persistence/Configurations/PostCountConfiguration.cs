using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class PostCountConfiguration : IEntityTypeConfiguration<PostCount>
{
    public void Configure(EntityTypeBuilder<PostCount> builder)
    {
        builder.ToTable("post_counts");
        // A company's counts are one range read of its key; the operator's are the whole (small) table.
        builder.HasKey(c => new { c.CompanyId, c.Platform, c.Status, c.Shard });
    }
}
