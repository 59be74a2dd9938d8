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
        Lease(post, token, at);
        post.ClearDomainEvents();
        return (post, token, at);
    }

    /// <summary>
    /// Puts the row in the state the queue's claim leaves it in (SqlJobQueue takes leases in SQL, many rows at once):
    /// processing under the token, the lease running, one more attempt, the attempt started.
    /// </summary>
    public static void Lease(Post post, Guid token, DateTimeOffset at)
    {
        var schedule = post.Schedule;
        Set(schedule, nameof(PostSchedule.Status), ScheduleStatus.Processing);
        Set(schedule, nameof(PostSchedule.LockToken), (Guid?)token);
        Set(schedule, nameof(PostSchedule.WorkerId), "worker-1");
        Set(schedule, nameof(PostSchedule.LockedAt), (DateTimeOffset?)at);
        Set(schedule, nameof(PostSchedule.LeaseExpiresAt), (DateTimeOffset?)at.AddSeconds(30));
        Set(schedule, nameof(PostSchedule.PublishStartedAt), (DateTimeOffset?)at);
        Set(schedule, nameof(PostSchedule.Attempts), schedule.Attempts + 1);
    }

    private static void Set(PostSchedule schedule, string property, object? value) =>
        typeof(PostSchedule).GetProperty(property)!.SetValue(schedule, value);
}
