using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Domain.Posts;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

public sealed class ConcurrencyTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task ACancelRacingAWorkersClaim_IsAConflictNotAnOverwrite()
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
        var post = await ReadPendingPostAsync(db);

        // A worker claims the row between the API's read and its write.
        await ExecuteAsync("UPDATE post_schedule SET status = 'processing', attempts = 1, lock_token = UNHEX(REPLACE(UUID(), '-', ''))");
        post.Cancel(DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync(Ct));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'processing'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'pending'"));
        await AssertPostCountsExactAsync();
    }

    [Fact]
    public async Task AnEditWithoutARace_Saves()
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
        var post = await ReadPendingPostAsync(db);

        post.Edit("Changed", null, null, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(Ct);

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE content = 'Changed'"));
        Assert.Equal(PostStatus.Pending, post.Status);
    }

    /// <summary>Schedules a post, then reads it for a change, as the API's handlers do.</summary>
    private async Task<Post> ReadPendingPostAsync(SchedulerDbContext db)
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        var scheduled = await SendAsync(
            company, new SchedulePostCommand(account.Id, "Hello", DateTimeOffset.UtcNow.AddHours(1).ToString("O")));
        return await db.Posts.SingleAsync(p => p.Id == scheduled.Id, Ct);
    }
}
