using System.Text.Json;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.GetPost;
using Scheduler.Application.Posts.ReschedulePost;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

public sealed class SchedulingTests(DatabaseFixture database) : IntegrationTest(database)
{
    private static string InOneHour => DateTimeOffset.UtcNow.AddHours(1).ToString("O");

    [Fact]
    public async Task SchedulePost_WritesThePostAndItsQueueRowTogether()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);

        var post = await SendAsync(company, new SchedulePostCommand(
            account.Id, "Hello", InOneHour, MediaUrls: ["https://cdn.example/a.jpg"]));

        Assert.Equal(PostState.Pending, post.Status);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'pending' AND JSON_LENGTH(media) = 1"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'pending' AND attempts = 0 AND max_attempts = 3"));
        var read = await SendAsync(company, new GetPostQuery(post.Id));
        Assert.Equal(JsonSerializer.Serialize(post), JsonSerializer.Serialize<PostDto>(read));
        Assert.Empty(read.AttemptHistory);
    }

    [Fact]
    public async Task SchedulePost_WhenTheQueueInsertFails_LeavesNoPostBehind()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync("""
            CREATE TRIGGER fail_queue_insert BEFORE INSERT ON post_schedule FOR EACH ROW
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'forced failure after the post_details insert'
            """);
        try
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
                SendAsync(company, new SchedulePostCommand(account.Id, "Hello", InOneHour)));
            Assert.Contains("forced failure", ex.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER IF EXISTS fail_queue_insert");
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM post_details"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM post_schedule"));
    }

    [Fact]
    public async Task SchedulePost_OnAnotherCompanysAccount_IsNotFoundAndWritesNothing()
    {
        var account = await ConnectAsync(Guid.CreateVersion7());

        await Assert.ThrowsAsync<NotFoundException>(() =>
            SendAsync(Guid.CreateVersion7(), new SchedulePostCommand(account.Id, "Hello", InOneHour)));

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM post_details"));
    }

    [Fact]
    public async Task SchedulePost_InstagramWithoutImage_IsRefusedByTheAccountsRules()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, Platform.Instagram, "ig-1");

        var ex = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            SendAsync(company, new SchedulePostCommand(account.Id, "caption", InOneHour)));

        Assert.Contains(ex.Errors, e => e.PropertyName == "content" && e.ErrorMessage.Contains("image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RescheduleAndCancel_ChangeBothRows_AndCancelTwiceIsAConflict()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        var post = await SendAsync(company, new SchedulePostCommand(account.Id, "Hello", InOneHour));
        var later = DateTimeOffset.UtcNow.AddDays(2);

        var moved = await SendAsync(company, new ReschedulePostCommand(post.Id, later.ToString("O"), Content: "Edited"));
        var cancelled = await SendAsync(company, new CancelPostCommand(post.Id));

        Assert.Equal("Edited", moved.Content);
        Assert.Equal(later.UtcTicks / 10, moved.RunAt.UtcTicks / 10);
        Assert.Equal(PostState.Cancelled, cancelled.Status);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'cancelled' AND content = 'Edited'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status = 'cancelled'"));
        await Assert.ThrowsAsync<DomainException>(() => SendAsync(company, new CancelPostCommand(post.Id)));
    }
}
