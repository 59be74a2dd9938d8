using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Dispatching;

/// <summary>Publishes to one platform. It answers with an outcome; it throws only for bugs.</summary>
public interface IPlatformPublisher
{
    Platform Platform { get; }

    Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Reconciliation: the platform's id of this post if it is already live (published by an attempt that started at
    /// <paramref name="attemptStartedAt"/> and whose answer was lost), else null.
    /// </summary>
    Task<string?> FindExistingAsync(PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Comments <paramref name="message"/> under the live post <paramref name="externalPostId"/> as the account.
    /// <see cref="PublishOutcome.Published"/> carries the comment's id; any other outcome says why it was not posted.
    /// </summary>
    Task<PublishOutcome> CommentAsync(PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken);

    /// <summary>
    /// Reconciliation of a comment whose answer was lost: the id of the account's comment with exactly this message
    /// under the post, else null. Throws <c>PlatformUnavailableException</c> when the platform cannot be asked.
    /// </summary>
    Task<string?> FindCommentAsync(PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken);
}

/// <summary>What to publish, with the clear token for this call only, and what earlier attempts saved.</summary>
public sealed record PublishRequest(
    Guid PostId,
    Guid SocialAccountId,
    Platform Platform,
    string ExternalAccountId,
    string AccessToken,
    string Content,
    IReadOnlyList<PostMedia> Media,
    string? Link,
    int Attempt,
    Guid LockToken,
    string? PlatformState = null,
    DateTimeOffset? RunAt = null,
    PostFormat Format = PostFormat.Post,
    AccountLogin Login = AccountLogin.Facebook)
{
    public IReadOnlyList<string> MediaUrls => [.. Media.Select(m => m.Url)];

    /// <summary>
    /// The earliest moment any attempt of this post can have started: its scheduled time (no attempt runs before it).
    /// A platform post created before it is not this post's.
    /// </summary>
    public DateTimeOffset EarliestAttempt => RunAt ?? DateTimeOffset.MinValue;

    private (bool Saved, string? State) _latest;

    /// <summary>The platform state as this attempt last saved it, else as the claim brought it.</summary>
    public string? LatestPlatformState => _latest.Saved ? _latest.State : PlatformState;

    internal void StateSaved(string? state) => _latest = (true, state);

    /// <summary>Keeps the token out of logs.</summary>
    public override string ToString() =>
        $"PublishRequest {{ PostId = {PostId}, Platform = {Platform}, Account = {ExternalAccountId}, Attempt = {Attempt} }}";
}
