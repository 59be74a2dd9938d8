using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Posts;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class PostAttemptConfiguration : IEntityTypeConfiguration<PostAttempt>
{
    public void Configure(EntityTypeBuilder<PostAttempt> builder)
    {
        builder.ToTable("post_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.WorkerId).HasMaxLength(PostSchedule.WorkerIdMaxLength).IsRequired();
        builder.Property(a => a.Outcome).HasMaxLength(PostAttempt.OutcomeMaxLength).IsRequired();
        builder.Property(a => a.Error).HasMaxLength(PostSchedule.LastErrorMaxLength);
        builder.Property(a => a.ExternalPostId).HasMaxLength(Post.ExternalPostIdMaxLength);
        builder.HasOne<Post>().WithMany().HasForeignKey(a => a.PostDetailId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.PostDetailId, a.StartedAt });
        builder.HasIndex(a => a.FinishedAt); // the minute rollups and the day's recoveries
        builder.Ignore(a => a.DomainEvents);
    }
}
