using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Posts;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class WorkerHeartbeatConfiguration : IEntityTypeConfiguration<WorkerHeartbeat>
{
    public void Configure(EntityTypeBuilder<WorkerHeartbeat> builder)
    {
        builder.ToTable("worker_heartbeats");
        builder.HasKey(h => h.WorkerId);
        builder.Property(h => h.WorkerId).HasMaxLength(PostSchedule.WorkerIdMaxLength);
        builder.Property(h => h.Host).HasMaxLength(WorkerHeartbeat.HostMaxLength);
        builder.Property(h => h.Version).HasMaxLength(WorkerHeartbeat.VersionMaxLength);
        builder.HasIndex(h => h.LastSeenAt);
    }
}
