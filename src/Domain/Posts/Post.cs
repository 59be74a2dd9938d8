using Scheduler.Domain.Common;
using Scheduler.Domain.Posts.Events;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Posts;

/// <summary>
/// A post to publish on one social account at one time (<c>post_details</c>), together with its queue row
/// (<see cref="PostSchedule"/>). Every change of either goes through this aggregate's methods, which refuse
/// illegal transitions with a <see cref="DomainException"/> and raise an event when state really changes.
/// </summary>
public sealed class Post : Entity
{
    public const int ErrorMessageMaxLength = 2000;
    public const int ExternalPostIdMaxLength = 200;

    private IReadOnlyList<PostMedia> _media = [];

    private Post(Guid id) : base(id)
    {
        Content = string.Empty;
        Schedule = null!;
    }

    public Guid CompanyId { get; private set; }

    public Guid? ClientId { get; private set; }

    public Guid SocialAccountId { get; private set; }

    /// <summary>The posts scheduled together on several accounts share this id; null for a post on its own.</summary>
    public Guid? GroupId { get; private set; }

    /// <summary>The occurrences of one recurring post share this id; null for a post that does not recur.</summary>
    public Guid? SeriesId { get; private set; }

    /// <summary>The account's platform, kept on the post so the worker and the listings need no join.</summary>
    public Platform Platform { get; private set; }

    public string Content { get; private set; }

    public IReadOnlyList<PostMedia> Media => _media;

    public IReadOnlyList<string> MediaUrls => [.. _media.Select(m => m.Url)];

    /// <summary>Feed post (the default), story or reel.</summary>
    public PostFormat Format { get; private set; }

    public string? Link { get; private set; }

    public PostStatus Status { get; private set; }

    /// <summary>
    /// The time the user chose (UTC, microseconds): the same as <see cref="PostSchedule.RunAt"/>, kept on the post so the
    /// company's lists and calendar read it from one index (company, status, time) instead of sorting a join.
    /// </summary>
    public DateTimeOffset RunAt { get; private set; }

    public string? ExternalPostId { get; private set; }

    /// <summary>A comment published under the post right after it (a link, hashtags); null for none.</summary>
    public string? FirstComment { get; private set; }

    /// <summary>Null without a first comment.</summary>
    public FirstCommentStatus? FirstCommentStatus { get; private set; }

    public string? FirstCommentId { get; private set; }

    public string? FirstCommentError { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    public string? ErrorMessage { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public PostSchedule Schedule { get; private set; }

    /// <summary>True while a worker holds the row: the post may be on its way to the platform.</summary>
    public bool IsProcessing => Schedule.Status == ScheduleStatus.Processing;

    public static Post Create(
        SocialAccount account,
        Guid? clientId,
        string content,
        IEnumerable<PostMedia>? media,
        string? link,
        DateTimeOffset runAt,
        int maxAttempts,
        DateTimeOffset now,
        PostFormat format = PostFormat.Post,
        Guid? groupId = null,
        bool draft = false,
        Guid? seriesId = null,
        string? firstComment = null)
    {
        if (!account.IsActive)
        {
            throw new DomainException(
                $"Social account {account.Id} is {EnumNames.Of(account.Status)}; reconnect it before scheduling.");
        }

        if (clientId is not null && account.ClientId is not null && clientId != account.ClientId)
        {
            throw new DomainException($"Social account {account.Id} belongs to another client.");
        }

        if (maxAttempts < 1)
        {
            throw new DomainException("A post needs at least one attempt.");
        }

        EnsureFuture(runAt, now);
        var items = media?.ToList() ?? [];
        EnsureContent(account.Platform, format, content, items);
        EnsureFirstComment(account.Platform, format, firstComment);

        var post = new Post(Ids.New())
        {
            CompanyId = account.CompanyId,
            ClientId = clientId ?? account.ClientId,
            SocialAccountId = account.Id,
            GroupId = groupId,
            SeriesId = seriesId,
            FirstComment = firstComment,
            FirstCommentStatus = firstComment is null ? null : Posts.FirstCommentStatus.Pending,
            Platform = account.Platform,
            Content = content,
            _media = items.AsReadOnly(),
            Format = format,
            Link = string.IsNullOrWhiteSpace(link) ? null : link,
            Status = PostStatus.Pending,
            RunAt = runAt,
            CreatedAt = now,
            UpdatedAt = now,
        };
        post.Schedule = PostSchedule.Create(post.Id, account.Id, runAt, maxAttempts, now);
        if (draft)
        {
            post.Status = PostStatus.Draft;
            post.Schedule.Hold(now);
            return post;
        }

        post.Raise(new PostScheduledEvent(post.Id, post.CompanyId, runAt, now));
        return post;
    }

    public void Reschedule(DateTimeOffset runAt, DateTimeOffset now)
    {
        EnsureEditable("reschedule");
        EnsureFuture(runAt, now);
        if (RunAt == runAt)
        {
            return;
        }

        Schedule.Reschedule(runAt, now);
        RunAt = runAt;
        Touch(now);
        Raise(new PostRescheduledEvent(Id, CompanyId, runAt, now));
    }

    /// <summary>
    /// Edits what is published. Null keeps a field; an empty <paramref name="link"/> or <paramref name="firstComment"/>
    /// removes it.
    /// </summary>
    public void Edit(
        string? content, IEnumerable<PostMedia>? media, string? link, DateTimeOffset now, PostFormat? format = null, string? firstComment = null)
    {
        EnsureEditable("edit");
        var newContent = content ?? Content;
        var newMedia = media?.ToList() ?? [.. _media];
        var newFormat = format ?? Format;
        var newComment = firstComment is null ? FirstComment : firstComment.Length == 0 ? null : firstComment;
        EnsureContent(Platform, newFormat, newContent, newMedia);
        EnsureFirstComment(Platform, newFormat, newComment);
        Content = newContent;
        _media = newMedia.AsReadOnly();
        Format = newFormat;
        if (link is not null)
        {
            Link = link.Length == 0 ? null : link;
        }

        FirstComment = newComment;
        FirstCommentStatus = newComment is null ? null : Posts.FirstCommentStatus.Pending;

        Touch(now);
    }

    /// <summary>True while the post waits in the queue, or is a draft or awaits approval: it can still be edited, rescheduled or cancelled.</summary>
    public bool IsEditable =>
        (Status == PostStatus.Pending && Schedule.Status == ScheduleStatus.Pending)
        || (Status is PostStatus.Draft or PostStatus.PendingApproval && Schedule.Status == ScheduleStatus.Held);

    /// <summary>A draft submitted for approval; it stays out of the queue until approved.</summary>
    public void SubmitForApproval(DateTimeOffset now)
    {
        EnsureStatus(PostStatus.Draft, "submit for approval");
        Status = PostStatus.PendingApproval;
        ErrorMessage = null;
        Touch(now);
    }

    /// <summary>Approved: into the queue at its time, which must still be ahead.</summary>
    public void Approve(DateTimeOffset now)
    {
        EnsureStatus(PostStatus.PendingApproval, "approve");
        Release(now);
    }

    /// <summary>Not approved: back to a draft, with the reason for its author.</summary>
    public void RejectApproval(string reason, DateTimeOffset now)
    {
        EnsureStatus(PostStatus.PendingApproval, "reject");
        Status = PostStatus.Draft;
        ErrorMessage = Reason($"Not approved: {reason}");
        Schedule.Note(ErrorMessage, now);
        Touch(now);
    }

    /// <summary>A draft into the queue at its time without approval, which must still be ahead.</summary>
    public void ScheduleDraft(DateTimeOffset now)
    {
        EnsureStatus(PostStatus.Draft, "schedule");
        Release(now);
    }

    public void Cancel(DateTimeOffset now)
    {
        EnsureEditable("cancel");
        Status = PostStatus.Cancelled;
        Schedule.Cancel(now);
        Touch(now);
        Raise(new PostCancelledEvent(Id, CompanyId, now));
    }

    /// <summary>
    /// Puts a failed post back in the queue, due now, with a fresh set of attempts. The time the user chose stays
    /// as it was; only the next attempt moves.
    /// </summary>
    public void Retry(DateTimeOffset now)
    {
        if (Status is not (PostStatus.Failed or PostStatus.Missed))
        {
            throw new DomainException($"Only a failed or missed post can be retried; this one is {StatusName}.");
        }

        Status = PostStatus.Pending;
        ErrorMessage = null;
        Schedule.Restart(now);
        Touch(now);
        Raise(new PostRetriedEvent(Id, CompanyId, now, now));
    }

    /// <summary>
    /// The worker holding the row found the post too late to publish (past the cutoff after its time): it is not
    /// sent, and ends <see cref="PostStatus.Missed"/> with the reason. A retry can still send it.
    /// </summary>
    public void MarkMissed(Guid lockToken, string reason, DateTimeOffset now)
    {
        Schedule.EnsureHeldBy(lockToken);
        Status = PostStatus.Missed;
        ErrorMessage = Reason(reason);
        Schedule.Fail(ErrorMessage, now);
        Touch(now);
        Raise(new PostMissedEvent(Id, CompanyId, Platform, reason, RunAt, now));
    }

    /// <summary>
    /// Published with the platform's id; with a first comment, how its call ended — a failed comment never makes the
    /// post anything but published.
    /// </summary>
    public void MarkPublished(Guid lockToken, string externalPostId, DateTimeOffset now, FirstCommentResult? comment = null)
    {
        Schedule.EnsureHeldBy(lockToken);
        if (string.IsNullOrWhiteSpace(externalPostId))
        {
            throw new DomainException("A published post needs the platform's id.");
        }

        Status = PostStatus.Published;
        ExternalPostId = externalPostId;
        if (FirstComment is not null)
        {
            var result = comment ?? FirstCommentResult.Failed(FirstCommentResult.NotRecorded);
            FirstCommentStatus = result.CommentId is not null ? Posts.FirstCommentStatus.Published : Posts.FirstCommentStatus.Failed;
            FirstCommentId = result.CommentId;
            FirstCommentError = result.Error is null ? null : Reason(result.Error);
            if (result.Error is not null)
            {
                Raise(new FirstCommentFailedEvent(Id, CompanyId, Platform, externalPostId, FirstCommentError!, now));
            }
        }

        PublishedAt = now;
        ErrorMessage = null;
        Schedule.Complete(now);
        Touch(now);
        Raise(new PostPublishedEvent(Id, CompanyId, Platform, externalPostId, RunAt, now));
    }

    /// <summary>
    /// An attempt failed. With a <paramref name="retryAt"/> and attempts left, the row goes back to the queue at that
    /// time; otherwise (a permanent error, or the last attempt) the post fails for good.
    /// </summary>
    /// <returns>True when the failure is final.</returns>
    public bool RecordFailure(Guid lockToken, string error, DateTimeOffset? retryAt, DateTimeOffset now)
    {
        Schedule.EnsureHeldBy(lockToken);
        var reason = Reason(error);
        if (retryAt is { } at && Schedule.Attempts < Schedule.MaxAttempts)
        {
            Schedule.Requeue(at, refundAttempt: false, reason, now);
            Touch(now);
            return false;
        }

        Fail(reason, now);
        return true;
    }

    /// <summary>
    /// Gives the row back to the queue without a verdict on the post: a rate limit or quota (the attempt is refunded).
    /// </summary>
    public void ReturnToQueue(Guid lockToken, DateTimeOffset nextAttemptAt, bool refundAttempt, DateTimeOffset now)
    {
        Schedule.EnsureHeldBy(lockToken);
        Schedule.Requeue(nextAttemptAt, refundAttempt, null, now);
        Touch(now);
    }

    /// <summary>
    /// A take-over found the post not live: the dead worker's attempt is refunded (a worker's death is not the post's
    /// failure) and the recovery counted. A post that has now cost <paramref name="maxRecoveries"/> workers their
    /// lives is a poison pill and fails.
    /// </summary>
    /// <returns>True when the post failed.</returns>
    public bool ReturnAfterRecovery(Guid lockToken, int maxRecoveries, DateTimeOffset nextAttemptAt, DateTimeOffset now)
    {
        Schedule.EnsureHeldBy(lockToken);
        Schedule.CountRecovery();
        if (Schedule.Recoveries >= maxRecoveries)
        {
            Fail(Reason(
                $"Taken over from a stopped worker {Schedule.Recoveries} times without being published: the post may be "
                + "what stops its workers, so it is not tried again automatically."), now);
            return true;
        }

        Schedule.Requeue(nextAttemptAt, refundAttempt: true, "The worker stopped before the post was published; requeued.", now);
        Touch(now);
        return false;
    }

    private string StatusName => IsProcessing ? "processing" : EnumNames.Of(Status);

    private static void EnsureFuture(DateTimeOffset runAt, DateTimeOffset now)
    {
        if (runAt <= now)
        {
            throw new DomainException("The time to publish must be in the future.");
        }
    }

    private static void EnsureContent(Platform platform, PostFormat format, string content, List<PostMedia> media)
    {
        var problems = PostContentRules.Check(platform, format, content, media);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems));
        }
    }

    private static void EnsureFirstComment(Platform platform, PostFormat format, string? comment)
    {
        var problems = PostContentRules.CheckFirstComment(platform, format, comment);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems));
        }
    }

    private void EnsureStatus(PostStatus expected, string action)
    {
        if (Status != expected || Schedule.Status != ScheduleStatus.Held)
        {
            throw new DomainException($"Only a post that is {EnumNames.Of(expected)} can be asked to {action}; this one is {StatusName}.");
        }
    }

    private void Release(DateTimeOffset now)
    {
        if (RunAt <= now)
        {
            throw new DomainException("The post's time has passed; reschedule it to a time ahead first.");
        }

        Status = PostStatus.Pending;
        ErrorMessage = null;
        Schedule.Release(now);
        Touch(now);
        Raise(new PostScheduledEvent(Id, CompanyId, RunAt, now));
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private void EnsureEditable(string action)
    {
        if (!IsEditable)
        {
            throw new DomainException($"Only a pending post can be changed; cannot {action} a post that is {StatusName}.");
        }
    }

    private void Fail(string reason, DateTimeOffset now)
    {
        Status = PostStatus.Failed;
        ErrorMessage = reason;
        Schedule.Fail(reason, now);
        Touch(now);
        Raise(new PostFailedEvent(Id, CompanyId, Platform, reason, now));
    }

    private static string Reason(string error) =>
        Truncate(string.IsNullOrWhiteSpace(error) ? "unknown error" : error, ErrorMessageMaxLength);

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Schedule.Touch(now);
    }
}
