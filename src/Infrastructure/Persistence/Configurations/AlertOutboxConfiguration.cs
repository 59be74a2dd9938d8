using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Infrastructure.Alerts;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class AlertOutboxConfiguration : IEntityTypeConfiguration<AlertOutboxMessage>
{
    public void Configure(EntityTypeBuilder<AlertOutboxMessage> builder)
    {
        builder.ToTable("alert_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Type).HasMaxLength(AlertOutboxMessage.TypeMaxLength).IsRequired();
        builder.Property(m => m.Payload).HasColumnType("text").IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(AlertOutboxMessage.LastErrorMaxLength);
        // The sender's question: what is undelivered and due.
        builder.HasIndex(m => new { m.DeliveredAt, m.NextAttemptAt });
    }
}
