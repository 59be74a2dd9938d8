using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.UnitTests.Posts;

internal static class PostFactory
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    public static readonly Guid CompanyId = Guid.CreateVersion7();

    public static SocialAccount Account(Platform platform = Platform.Facebook, Guid? clientId = null) =>
        SocialAccount.Connect(CompanyId, clientId, platform, "page-1", "Page", "protected-token", null, Now);

    public static Post Pending(DateTimeOffset? runAt = null, int maxAttempts = 3) =>
        Post.Create(Account(), null, "Hello", null, null, runAt ?? Now.AddHours(1), maxAttempts, Now);

    /// <summary>A post claimed by a worker at its due time.</summary>
    public static (Post Post, Guid Token, DateTimeOffset At) Claimed(int maxAttempts = 3)
    {
        var post = Pending(maxAttempts: maxAttempts);
        var at = post.Schedule.RunAt;
        var token = Guid.NewGuid();
        post.Claim("worker-1", token, TimeSpan.FromMinutes(10), at);
        post.ClearDomainEvents();
        return (post, token, at);
    }
}
