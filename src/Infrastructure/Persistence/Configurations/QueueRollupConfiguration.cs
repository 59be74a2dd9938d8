using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class QueueRollupConfiguration : IEntityTypeConfiguration<QueueRollup>
{
    public void Configure(EntityTypeBuilder<QueueRollup> builder)
    {
        builder.ToTable("queue_rollups");
        // A company's chart is one range read of its key; the whole queue's rows have company id all zeros.
        builder.HasKey(r => new { r.CompanyId, r.Minute });
        builder.HasIndex(r => r.Minute);
    }
}
