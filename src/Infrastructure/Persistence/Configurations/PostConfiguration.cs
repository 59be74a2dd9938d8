using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Clients;
using Scheduler.Domain.Companies;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence.Conventions;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> builder)
    {
        builder.ToTable("post_details");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();

        // Facebook allows 63,206 characters: up to ~250 KB in utf8mb4, beyond TEXT.
        builder.Property(p => p.Content).HasColumnType("mediumtext").IsRequired();
        builder.Property(p => p.Media)
            .HasField("_media")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnName("media")
            .HasColumnType("json")
            .HasConversion(
                media => MediaJson.Serialize(media),
                json => MediaJson.Deserialize(json),
                new ValueComparer<IReadOnlyList<PostMedia>>(
                    (a, b) => a!.SequenceEqual(b!),
                    media => media.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                    media => media.ToList().AsReadOnly()))
            .IsRequired();
        // Rows written before formats existed, and raw SQL seeds, are feed posts.
        builder.Property(p => p.Format).HasMaxLength(16).HasDefaultValue(PostFormat.Post);
        builder.Ignore(p => p.MediaUrls);
        builder.Property(p => p.Link).HasMaxLength(PostContentRules.LinkMaxLength);
        builder.Property(p => p.ExternalPostId).HasMaxLength(Post.ExternalPostIdMaxLength);
        builder.Property(p => p.ErrorMessage).HasMaxLength(Post.ErrorMessageMaxLength);

        // At most 8,000 characters (Facebook): up to ~32 KB in utf8mb4, within TEXT.
        builder.Property(p => p.FirstComment).HasColumnType("text");
        builder.Property(p => p.FirstCommentId).HasMaxLength(Post.ExternalPostIdMaxLength);
        builder.Property(p => p.FirstCommentError).HasMaxLength(Post.ErrorMessageMaxLength);

        builder.HasOne<Company>().WithMany().HasForeignKey(p => p.CompanyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Client>().WithMany().HasForeignKey(p => p.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SocialAccount>().WithMany().HasForeignKey(p => p.SocialAccountId).OnDelete(DeleteBehavior.Restrict);

        builder.HasOne(p => p.Schedule)
            .WithOne()
            .HasForeignKey<PostSchedule>(s => s.PostDetailId)
            .OnDelete(DeleteBehavior.Cascade)
            .IsRequired();
        builder.Navigation(p => p.Schedule).AutoInclude().IsRequired();

        // A company's posts by time (lists, calendar) and by status and time (the lists of one state); what it published
        // or failed in a time range and its latest failures; the operator's lists of every company's failed or
        // published posts, newest first; the time rides along with the publication time so the day's lateness is read
        // from the index alone. Counts by status come from post_counts, not from these.
        builder.HasIndex(p => new { p.CompanyId, p.RunAt, p.Id });
        builder.HasIndex(p => new { p.CompanyId, p.Status, p.RunAt, p.Id });
        builder.HasIndex(p => new { p.CompanyId, p.Status, p.PublishedAt, p.RunAt });
        builder.HasIndex(p => new { p.CompanyId, p.Status, p.UpdatedAt });
        builder.HasIndex(p => new { p.Status, p.PublishedAt });
        builder.HasIndex(p => new { p.Status, p.UpdatedAt });
        builder.HasIndex(p => p.SocialAccountId);
        builder.HasIndex(p => p.GroupId);
        builder.HasIndex(p => p.SeriesId);
        builder.Ignore(p => p.IsProcessing);
        builder.Ignore(p => p.IsEditable);
        builder.Ignore(p => p.DomainEvents);
    }
}
