using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Clients;
using Scheduler.Domain.Companies;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

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
        builder.Property(p => p.MediaUrls)
            .HasField("_mediaUrls")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnType("json")
            .HasConversion(
                urls => JsonSerializer.Serialize(urls, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Default)!.AsReadOnly(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    urls => urls.Aggregate(0, (hash, url) => HashCode.Combine(hash, url.GetHashCode(StringComparison.Ordinal))),
                    urls => urls.ToList().AsReadOnly()))
            .IsRequired();
        builder.Property(p => p.Link).HasMaxLength(PostContentRules.LinkMaxLength);
        builder.Property(p => p.ExternalPostId).HasMaxLength(Post.ExternalPostIdMaxLength);
        builder.Property(p => p.ErrorMessage).HasMaxLength(Post.ErrorMessageMaxLength);

        builder.HasOne<Company>().WithMany().HasForeignKey(p => p.CompanyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Client>().WithMany().HasForeignKey(p => p.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SocialAccount>().WithMany().HasForeignKey(p => p.SocialAccountId).OnDelete(DeleteBehavior.Restrict);

        builder.HasOne(p => p.Schedule)
            .WithOne()
            .HasForeignKey<PostSchedule>(s => s.PostDetailId)
            .OnDelete(DeleteBehavior.Cascade)
            .IsRequired();
        builder.Navigation(p => p.Schedule).AutoInclude().IsRequired();

        builder.HasIndex(p => new { p.CompanyId, p.Status });
        builder.HasIndex(p => p.SocialAccountId);
        builder.Ignore(p => p.IsProcessing);
        builder.Ignore(p => p.DomainEvents);
    }
}
