using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.Posts.Events;
using Scheduler.Domain.SocialAccounts;
using static Scheduler.Domain.UnitTests.Posts.PostFactory;

namespace Scheduler.Domain.UnitTests.Posts;

public sealed class FirstCommentTests
{
    private static Post WithComment(string? comment = "Link in the comments: https://example.com", Platform platform = Platform.Facebook, PostFormat format = PostFormat.Post) =>
        Post.Create(
            Account(platform), null, "Hello", [PostMedia.From("https://cdn.example/a.jpg")], null,
            Now.AddHours(1), 3, Now, format, firstComment: comment);

    private static (Post Post, Guid Token, DateTimeOffset At) ClaimedWithComment()
    {
        var post = WithComment();
        var token = Guid.NewGuid();
        Lease(post, token, post.RunAt);
        post.ClearDomainEvents();
        return (post, token, post.RunAt);
    }

    [Fact]
    public void APostWithAFirstComment_WaitsWithItPending_AndOneWithoutHasNone()
    {
        var post = WithComment();
        Assert.Equal(("Link in the comments: https://example.com", FirstCommentStatus.Pending), (post.FirstComment, post.FirstCommentStatus));

        var plain = WithComment(null);
        Assert.Equal((null, null), (plain.FirstComment, plain.FirstCommentStatus));
    }

    [Fact]
    public void MarkPublished_WithTheCommentPosted_KeepsItsId()
    {
        var (post, token, at) = ClaimedWithComment();

        post.MarkPublished(token, "123_456", at, FirstCommentResult.Posted("123_456_789"));

        Assert.Equal(PostStatus.Published, post.Status);
        Assert.Equal((FirstCommentStatus.Published, "123_456_789", (string?)null), (post.FirstCommentStatus, post.FirstCommentId, post.FirstCommentError));
        Assert.IsType<PostPublishedEvent>(Assert.Single(post.DomainEvents));
    }

    [Fact]
    public void MarkPublished_WithTheCommentFailed_IsStillPublished_WithTheCommentsOwnErrorAndEvent()
    {
        var (post, token, at) = ClaimedWithComment();

        post.MarkPublished(token, "123_456", at, FirstCommentResult.Failed("(#200) Permissions error"));

        Assert.Equal((PostStatus.Published, ScheduleStatus.Done, (string?)null), (post.Status, post.Schedule.Status, post.ErrorMessage));
        Assert.Equal((FirstCommentStatus.Failed, (string?)null, "(#200) Permissions error"), (post.FirstCommentStatus, post.FirstCommentId, post.FirstCommentError));
        var failed = Assert.Single(post.DomainEvents.OfType<FirstCommentFailedEvent>());
        Assert.Equal((post.Id, "123_456", "(#200) Permissions error"), (failed.PostId, failed.ExternalPostId, failed.Reason));
        Assert.Single(post.DomainEvents.OfType<PostPublishedEvent>());
    }

    [Fact]
    public void MarkPublished_WithoutAnyWordOnTheComment_MarksItNotSent()
    {
        var (post, token, at) = ClaimedWithComment();

        post.MarkPublished(token, "123_456", at);

        Assert.Equal((PostStatus.Published, FirstCommentStatus.Failed), (post.Status, post.FirstCommentStatus));
        Assert.Equal(FirstCommentResult.NotRecorded, post.FirstCommentError);
        Assert.Single(post.DomainEvents.OfType<FirstCommentFailedEvent>());
    }

    [Fact]
    public void MarkPublished_OfAPostWithoutAComment_IgnoresAnyCommentResult()
    {
        var (post, token, at) = Claimed();

        post.MarkPublished(token, "1", at, FirstCommentResult.Failed("x"));

        Assert.Null(post.FirstCommentStatus);
        Assert.IsType<PostPublishedEvent>(Assert.Single(post.DomainEvents));
    }

    [Theory]
    [InlineData(Platform.Facebook, PostContentRules.FacebookCommentMaxLength)]
    [InlineData(Platform.Instagram, PostContentRules.InstagramCommentMaxLength)]
    [InlineData(Platform.LinkedIn, PostContentRules.LinkedInCommentMaxLength)]
    public void AFirstComment_IsAtMostThePlatformsCommentLength_CountedInCharacters(Platform platform, int max)
    {
        const PostFormat format = PostFormat.Post;
        Assert.Empty(PostContentRules.CheckFirstComment(platform, format, new string('é', max)));
        Assert.Empty(PostContentRules.CheckFirstComment(platform, format, string.Concat(Enumerable.Repeat("😀", max))));
        Assert.Contains("at most", Assert.Single(PostContentRules.CheckFirstComment(platform, format, new string('a', max + 1))), StringComparison.Ordinal);
    }

    [Fact]
    public void AStory_TakesNoFirstComment_AndABlankCommentIsRefused()
    {
        Assert.Throws<DomainException>(() => WithComment("hi", Platform.Instagram, PostFormat.Story));
        Assert.Throws<DomainException>(() => WithComment("  "));
        Assert.Contains("story", Assert.Single(PostContentRules.CheckFirstComment(Platform.Facebook, PostFormat.Story, "hi")), StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_ChangesOrRemovesTheComment_AndKeepsItWhenNotGiven()
    {
        var post = WithComment();

        post.Edit(null, null, null, Now, firstComment: "New comment");
        Assert.Equal(("New comment", FirstCommentStatus.Pending), (post.FirstComment, post.FirstCommentStatus));

        post.Edit("New text", null, null, Now);
        Assert.Equal("New comment", post.FirstComment);

        post.Edit(null, null, null, Now, firstComment: string.Empty);
        Assert.Equal((null, null), (post.FirstComment, post.FirstCommentStatus));

        var linkedIn = WithComment(null, Platform.LinkedIn);
        Assert.Throws<DomainException>(() => linkedIn.Edit(null, null, null, Now, firstComment: new string('a', PostContentRules.LinkedInCommentMaxLength + 1)));
        Assert.Null(linkedIn.FirstComment);
    }
}
