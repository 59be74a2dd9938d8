using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// A row of <c>post_counts</c>: how many of a company's posts on a platform have a status, in one of
/// <see cref="PostCounts.Shards"/> rows whose sum is the count (written and read in SQL by <see cref="PostCounts"/>;
/// mapped for the schema).
/// </summary>
public sealed class PostCount
{
    public Guid CompanyId { get; set; }

    public Platform Platform { get; set; }

    public PostStatus Status { get; set; }

    public byte Shard { get; set; }

    public long Count { get; set; }
}
