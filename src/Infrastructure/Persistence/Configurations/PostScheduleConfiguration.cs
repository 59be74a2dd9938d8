using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Posts;

namespace Scheduler.Infrastructure.Persistence.Configurations;

/// <summary>
/// The queue row. Its two indexes serve the worker's two scans: the claim
/// (<c>WHERE status='pending' AND next_attempt_at &lt;= now ORDER BY next_attempt_at, id</c>) and lease recovery
/// (<c>WHERE status='processing' AND lease_expires_at &lt; now</c>).
/// </summary>
public sealed class PostScheduleConfiguration : IEntityTypeConfiguration<PostSchedule>
{
    public const string ClaimIndex = "ix_post_schedule_claim";
    public const string RecoveryIndex = "ix_post_schedule_status_lease_expires_at";

    public void Configure(EntityTypeBuilder<PostSchedule> builder)
    {
        builder.ToTable("post_schedule");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        // Every change of a post through EF also touches this row and checks the status and lock token it was read
        // with: a claim in between (done in SQL) turns an API write into a conflict, and a worker whose lease was
        // taken over cannot overwrite the row (fencing).
        builder.Property(s => s.Status).IsConcurrencyToken();
        builder.Property(s => s.LockToken).IsConcurrencyToken();
        builder.Property(s => s.WorkerId).HasMaxLength(PostSchedule.WorkerIdMaxLength);
        builder.Property(s => s.LastError).HasMaxLength(PostSchedule.LastErrorMaxLength);
        builder.Property(s => s.PlatformState).HasColumnType("text");
        builder.HasIndex(s => s.PostDetailId).IsUnique();
        // The account is last so a claim passes over busy accounts inside the index, without reading their rows.
        builder.HasIndex(s => new { s.Status, s.NextAttemptAt, s.Id, s.SocialAccountId }, ClaimIndex);
        builder.HasIndex(s => new { s.Status, s.LeaseExpiresAt }, RecoveryIndex);
        builder.Ignore(s => s.DomainEvents);
    }
}
