using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.Posts.Events;
using Scheduler.Domain.SocialAccounts;
using static Scheduler.Domain.UnitTests.Posts.PostFactory;

namespace Scheduler.Domain.UnitTests.Posts;

public sealed class PostTests
{
    [Fact]
    public void Create_WithActiveAccount_IsPendingWithAQueueRowAndRaisesScheduled()
    {
        var account = Account();
        var runAt = Now.AddHours(2);

        var post = Post.Create(account, null, "Hello", [PostMedia.From("https://cdn.example/a.jpg")], "https://example.com", runAt, 3, Now);

        Assert.Equal(PostStatus.Pending, post.Status);
        Assert.Equal(ScheduleStatus.Pending, post.Schedule.Status);
        Assert.Equal(post.Id, post.Schedule.PostDetailId);
        Assert.Equal(runAt, post.Schedule.RunAt);
        Assert.Equal(0, post.Schedule.Attempts);
        Assert.Equal(3, post.Schedule.MaxAttempts);
        Assert.Equal(account.CompanyId, post.CompanyId);
        Assert.Equal(Platform.Facebook, post.Platform);
        Assert.Equal(["https://cdn.example/a.jpg"], post.MediaUrls);
        var scheduled = Assert.IsType<PostScheduledEvent>(Assert.Single(post.DomainEvents));
        Assert.Equal(runAt, scheduled.RunAt);
    }

    [Fact]
    public void Create_InAGroup_KeepsTheGroup_AndTheTimeOnThePostAndItsQueueRow()
    {
        var group = Guid.CreateVersion7();
        var runAt = Now.AddHours(2);

        var post = Post.Create(Account(), null, "Hello", null, null, runAt, 3, Now, PostFormat.Post, group);

        Assert.Equal((group, runAt, runAt), (post.GroupId, post.RunAt, post.Schedule.RunAt));
        Assert.True(post.IsEditable);
        Assert.Null(Post.Create(Account(), null, "Alone", null, null, runAt, 3, Now).GroupId);
    }

    [Fact]
    public void ADraft_StaysOutOfTheQueue_UntilScheduled()
    {
        var draft = Post.Create(Account(), null, "Idea", null, null, Now.AddHours(2), 3, Now, draft: true);

        Assert.Equal((PostStatus.Draft, ScheduleStatus.Held), (draft.Status, draft.Schedule.Status));
        Assert.Empty(draft.DomainEvents);
        Assert.True(draft.IsEditable);
        draft.Reschedule(Now.AddHours(3), Now);

        draft.ScheduleDraft(Now.AddMinutes(1));

        Assert.Equal((PostStatus.Pending, ScheduleStatus.Pending), (draft.Status, draft.Schedule.Status));
        Assert.Equal(Now.AddHours(3), draft.Schedule.NextAttemptAt);
        Assert.IsType<PostScheduledEvent>(draft.DomainEvents.Last());
        Assert.Throws<DomainException>(() => draft.ScheduleDraft(Now.AddMinutes(2)));
    }

    [Fact]
    public void Approval_SubmitThenApprove_QueuesIt_RejectSendsItBackWithTheReason()
    {
        var post = Post.Create(Account(), null, "Launch", null, null, Now.AddHours(2), 3, Now, draft: true);
        Assert.Throws<DomainException>(() => post.Approve(Now));

        post.SubmitForApproval(Now);
        Assert.Equal((PostStatus.PendingApproval, ScheduleStatus.Held), (post.Status, post.Schedule.Status));
        Assert.Throws<DomainException>(() => post.ScheduleDraft(Now));
        post.RejectApproval("Wrong price", Now);
        Assert.Equal(PostStatus.Draft, post.Status);
        Assert.Equal("Not approved: Wrong price", post.ErrorMessage);

        post.SubmitForApproval(Now);
        post.Approve(Now.AddMinutes(5));

        Assert.Equal((PostStatus.Pending, ScheduleStatus.Pending), (post.Status, post.Schedule.Status));
        Assert.Null(post.ErrorMessage);
    }

    [Fact]
    public void ADraftWhoseTimeHasPassed_CannotEnterTheQueue_UntilRescheduled()
    {
        var post = Post.Create(Account(), null, "Late idea", null, null, Now.AddHours(1), 3, Now, draft: true);
        post.SubmitForApproval(Now);

        var refused = Assert.Throws<DomainException>(() => post.Approve(Now.AddHours(2)));

        Assert.Contains("reschedule", refused.Message, StringComparison.Ordinal);
        Assert.Equal(PostStatus.PendingApproval, post.Status);
        post.Cancel(Now.AddHours(2));
        Assert.Equal((PostStatus.Cancelled, ScheduleStatus.Cancelled), (post.Status, post.Schedule.Status));
    }

    [Fact]
    public void Create_TakesTheAccountsClientWhenNoneIsGiven()
    {
        var clientId = Guid.CreateVersion7();
        var post = Post.Create(Account(clientId: clientId), null, "Hi", null, null, Now.AddHours(1), 3, Now);
        Assert.Equal(clientId, post.ClientId);
    }

    [Fact]
    public void Create_WhenClientDiffersFromTheAccounts_ThrowsDomainException()
    {
        var account = Account(clientId: Guid.CreateVersion7());
        Assert.Throws<DomainException>(() =>
            Post.Create(account, Guid.CreateVersion7(), "Hi", null, null, Now.AddHours(1), 3, Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Create_WhenRunAtIsNotInTheFuture_ThrowsDomainException(int secondsFromNow)
    {
        Assert.Throws<DomainException>(() =>
            Post.Create(Account(), null, "Hi", null, null, Now.AddSeconds(secondsFromNow), 3, Now));
    }

    [Fact]
    public void Create_WhenAccountNeedsReconnect_ThrowsDomainException()
    {
        var account = Account();
        account.RequireReconnect("token expired", Now);
        var ex = Assert.Throws<DomainException>(() =>
            Post.Create(account, null, "Hi", null, null, Now.AddHours(1), 3, Now));
        Assert.Contains("reconnect", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Create_WhenContentBreaksThePlatformsRules_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() =>
            Post.Create(Account(Platform.Instagram), null, "No image", null, null, Now.AddHours(1), 3, Now));
    }

    [Fact]
    public void Reschedule_WhenPending_MovesRunAtAndRaisesRescheduled()
    {
        var post = Pending();
        post.ClearDomainEvents();
        var later = Now.AddDays(1);

        post.Reschedule(later, Now);

        Assert.Equal((later, later, later), (post.RunAt, post.Schedule.RunAt, post.Schedule.NextAttemptAt));
        Assert.Equal(later, Assert.IsType<PostRescheduledEvent>(Assert.Single(post.DomainEvents)).RunAt);
    }

    [Fact]
    public void Reschedule_ToTheSameTime_RaisesNothing()
    {
        var post = Pending();
        post.ClearDomainEvents();
        post.Reschedule(post.Schedule.RunAt, Now);
        Assert.Empty(post.DomainEvents);
    }

    [Fact]
    public void Reschedule_IntoThePast_ThrowsDomainException()
    {
        var post = Pending();
        Assert.Throws<DomainException>(() => post.Reschedule(Now.AddMinutes(-1), Now));
    }

    [Fact]
    public void Edit_WhenPending_ReplacesContentMediaAndLink()
    {
        var post = Pending();
        post.Edit("New text", [PostMedia.From("https://cdn.example/b.png", "A blue square")], "https://example.org", Now);
        Assert.Equal("New text", post.Content);
        Assert.Equal(["https://cdn.example/b.png"], post.MediaUrls);
        Assert.Equal("https://example.org", post.Link);

        post.Edit(null, null, string.Empty, Now);
        Assert.Equal("New text", post.Content);
        Assert.Null(post.Link);
    }

    [Fact]
    public void Cancel_WhenPending_CancelsBothRowsAndRaisesCancelled()
    {
        var post = Pending();
        post.ClearDomainEvents();

        post.Cancel(Now);

        Assert.Equal(PostStatus.Cancelled, post.Status);
        Assert.Equal(ScheduleStatus.Cancelled, post.Schedule.Status);
        Assert.IsType<PostCancelledEvent>(Assert.Single(post.DomainEvents));
    }

    public static TheoryData<string> NotPendingStates => ["processing", "published", "failed", "cancelled"];

    [Theory]
    [MemberData(nameof(NotPendingStates))]
    public void Cancel_Reschedule_Edit_WhenNotPending_ThrowDomainException(string state)
    {
        var post = InState(state);
        Assert.Throws<DomainException>(() => post.Cancel(Now));
        Assert.Throws<DomainException>(() => post.Reschedule(Now.AddDays(2), Now));
        Assert.Throws<DomainException>(() => post.Edit("x", null, null, Now));
    }

    [Fact]
    public void Cancel_WhenAlreadyPublished_ThrowsDomainException()
    {
        var post = InState("published");
        var ex = Assert.Throws<DomainException>(() => post.Cancel(Now));
        Assert.Contains("published", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReturnAfterRecovery_RefundsTheAttemptAndCountsTheRecovery()
    {
        var (post, token, at) = Claimed();

        var failed = post.ReturnAfterRecovery(token, maxRecoveries: 3, at.AddMinutes(1), at.AddMinutes(1));

        Assert.False(failed);
        Assert.Equal(ScheduleStatus.Pending, post.Schedule.Status);
        Assert.Equal((0, 1), (post.Schedule.Attempts, post.Schedule.Recoveries));
        Assert.Equal(at.AddMinutes(1), post.Schedule.NextAttemptAt);
        Assert.Equal(at, post.Schedule.RunAt);
        Assert.Empty(post.DomainEvents);
    }

    [Fact]
    public void ReturnAfterRecovery_AtTheCap_FailsThePostAsAPoisonPill()
    {
        var post = Pending(maxAttempts: 1);
        post.ClearDomainEvents();
        var at = post.Schedule.RunAt;
        for (var i = 1; i <= 3; i++)
        {
            var token = Guid.NewGuid();
            PostFactory.Lease(post, token, at);
            var failed = post.ReturnAfterRecovery(token, maxRecoveries: 3, at, at);
            Assert.Equal(i == 3, failed);
        }

        Assert.Equal(PostStatus.Failed, post.Status);
        Assert.Equal(3, post.Schedule.Recoveries);
        Assert.Contains("3 times", Assert.IsType<PostFailedEvent>(Assert.Single(post.DomainEvents)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkPublished_WithTheLeaseToken_PublishesAndRaisesPublished()
    {
        var (post, token, at) = Claimed();

        post.MarkPublished(token, "123_456", at.AddSeconds(2));

        Assert.Equal(PostStatus.Published, post.Status);
        Assert.Equal(ScheduleStatus.Done, post.Schedule.Status);
        Assert.Equal("123_456", post.ExternalPostId);
        Assert.Equal(at.AddSeconds(2), post.PublishedAt);
        Assert.Equal("123_456", Assert.IsType<PostPublishedEvent>(Assert.Single(post.DomainEvents)).ExternalPostId);
    }

    [Fact]
    public void MarkMissed_WithTheLeaseToken_EndsMissedWithTheReason_AndARetrySendsItAfterAll()
    {
        var (post, token, at) = Claimed();

        post.MarkMissed(token, "Not published within 30 min of its time", at.AddSeconds(1));

        Assert.Equal((PostStatus.Missed, ScheduleStatus.Failed), (post.Status, post.Schedule.Status));
        Assert.Equal("Not published within 30 min of its time", post.ErrorMessage);
        Assert.Null(post.PublishedAt);
        var missed = Assert.IsType<PostMissedEvent>(Assert.Single(post.DomainEvents));
        Assert.Equal((post.Id, post.RunAt), (missed.PostId, missed.RunAt));
        Assert.Throws<DomainException>(() => post.MarkMissed(token, "again", at.AddSeconds(2)));

        post.Retry(at.AddMinutes(1));

        Assert.Equal((PostStatus.Pending, ScheduleStatus.Pending), (post.Status, post.Schedule.Status));
        Assert.Null(post.ErrorMessage);
    }

    [Fact]
    public void MarkMissed_WithAnotherToken_ThrowsAndChangesNothing()
    {
        var (post, _, at) = Claimed();

        Assert.Throws<DomainException>(() => post.MarkMissed(Guid.NewGuid(), "late", at));

        Assert.Equal((PostStatus.Pending, ScheduleStatus.Processing), (post.Status, post.Schedule.Status));
        Assert.Empty(post.DomainEvents);
    }

    [Fact]
    public void MarkPublished_WithAnotherToken_ThrowsAndChangesNothing()
    {
        var (post, _, at) = Claimed();

        Assert.Throws<DomainException>(() => post.MarkPublished(Guid.NewGuid(), "x", at));

        Assert.Equal(PostStatus.Pending, post.Status);
        Assert.Equal(ScheduleStatus.Processing, post.Schedule.Status);
        Assert.Empty(post.DomainEvents);
    }

    [Fact]
    public void RecordFailure_ReturnToQueue_ReturnAfterRecovery_WithoutTheLease_Throw()
    {
        var post = Pending();
        var token = Guid.NewGuid();
        Assert.Throws<DomainException>(() => post.ReturnAfterRecovery(token, 10, Now, Now));
        Assert.Throws<DomainException>(() => post.RecordFailure(token, "x", Now.AddMinutes(1), Now));
        Assert.Throws<DomainException>(() => post.ReturnToQueue(token, Now.AddMinutes(1), false, Now));
    }

    [Fact]
    public void RecordFailure_WithAttemptsLeft_ReturnsTheRowToTheQueueAtRetryAt()
    {
        var (post, token, at) = Claimed();
        var retryAt = at.AddMinutes(2);

        var final = post.RecordFailure(token, "HTTP 503", retryAt, at.AddSeconds(1));

        Assert.False(final);
        Assert.Equal(PostStatus.Pending, post.Status);
        Assert.Equal(ScheduleStatus.Pending, post.Schedule.Status);
        Assert.Equal(retryAt, post.Schedule.NextAttemptAt);
        Assert.Equal(at, post.Schedule.RunAt);
        Assert.Equal("HTTP 503", post.Schedule.LastError);
        Assert.Null(post.Schedule.LockToken);
        Assert.Null(post.Schedule.LeaseExpiresAt);
        Assert.Equal(1, post.Schedule.Attempts);
        Assert.Empty(post.DomainEvents);
    }

    [Fact]
    public void RecordFailure_OnTheLastAttempt_FailsThePostAndRaisesFailed()
    {
        var (post, token, at) = Claimed(maxAttempts: 1);

        var final = post.RecordFailure(token, "HTTP 503", at.AddMinutes(1), at);

        Assert.True(final);
        Assert.Equal(PostStatus.Failed, post.Status);
        Assert.Equal(ScheduleStatus.Failed, post.Schedule.Status);
        Assert.Equal("HTTP 503", post.ErrorMessage);
        Assert.Equal("HTTP 503", Assert.IsType<PostFailedEvent>(Assert.Single(post.DomainEvents)).Reason);
    }

    [Fact]
    public void RecordFailure_WithoutRetryAt_IsPermanent()
    {
        var (post, token, at) = Claimed();
        Assert.True(post.RecordFailure(token, "(#100) Invalid parameter", null, at));
        Assert.Equal(PostStatus.Failed, post.Status);
        Assert.Equal(1, post.Schedule.Attempts);
    }

    [Fact]
    public void RecordFailure_TruncatesLongErrors()
    {
        var (post, token, at) = Claimed();
        post.RecordFailure(token, new string('e', 5000), null, at);
        Assert.Equal(Post.ErrorMessageMaxLength, post.ErrorMessage!.Length);
    }

    [Fact]
    public void ReturnToQueue_WithRefund_GivesTheAttemptBack()
    {
        var (post, token, at) = Claimed();

        post.ReturnToQueue(token, at.AddHours(1), refundAttempt: true, at);

        Assert.Equal(ScheduleStatus.Pending, post.Schedule.Status);
        Assert.Equal(0, post.Schedule.Attempts);
        Assert.Equal(at.AddHours(1), post.Schedule.NextAttemptAt);
        Assert.Equal(at, post.Schedule.RunAt);
        Assert.Null(post.Schedule.LockToken);
    }

    [Fact]
    public void ReturnToQueue_WithoutRefund_KeepsTheAttempt()
    {
        var (post, token, at) = Claimed();
        post.ReturnToQueue(token, at, refundAttempt: false, at);
        Assert.Equal(1, post.Schedule.Attempts);
    }

    [Fact]
    public void Retry_WhenFailed_RequeuesNowWithFreshAttemptsAndRaisesRetried()
    {
        var (post, token, at) = Claimed(maxAttempts: 1);
        post.RecordFailure(token, "boom", null, at);
        post.ClearDomainEvents();
        var later = at.AddHours(3);

        post.Retry(later);

        Assert.Equal(PostStatus.Pending, post.Status);
        Assert.Equal(ScheduleStatus.Pending, post.Schedule.Status);
        Assert.Equal(later, post.Schedule.NextAttemptAt);
        Assert.Equal(at, post.Schedule.RunAt);
        Assert.Equal(0, post.Schedule.Attempts);
        Assert.Null(post.ErrorMessage);
        Assert.Null(post.Schedule.LastError);
        Assert.IsType<PostRetriedEvent>(Assert.Single(post.DomainEvents));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("processing")]
    [InlineData("published")]
    [InlineData("cancelled")]
    public void Retry_WhenNotFailed_ThrowsDomainException(string state)
    {
        var post = InState(state);
        Assert.Throws<DomainException>(() => post.Retry(Now.AddDays(1)));
    }

    private static Post InState(string state)
    {
        switch (state)
        {
            case "pending":
                return Pending();
            case "cancelled":
                var cancelled = Pending();
                cancelled.Cancel(Now);
                return cancelled;
        }

        var (post, token, at) = Claimed(maxAttempts: 1);
        switch (state)
        {
            case "published":
                post.MarkPublished(token, "ext-1", at);
                break;
            case "failed":
                post.RecordFailure(token, "boom", null, at);
                break;
        }

        return post;
    }
}
