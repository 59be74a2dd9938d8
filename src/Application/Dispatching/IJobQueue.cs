using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Dispatching;

/// <summary>
/// Claims and leases: short transactions that hand due rows to one worker (<c>SELECT … FOR UPDATE SKIP LOCKED</c>),
/// take over rows whose worker died, and keep live leases alive. Every later change of a claimed row names its
/// <see cref="ClaimedJob.LockToken"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is the job queue of the design.")]
public interface IJobQueue
{
    /// <summary>
    /// Claims up to <see cref="ClaimRequest.Max"/> due pending rows, oldest first, passing over the accounts in
    /// <see cref="ClaimRequest.BusyAccounts"/> and taking at most <see cref="ClaimRequest.PerAccount"/> rows of any one
    /// account. Each claimed row starts an attempt at once, with everything its publish needs.
    /// </summary>
    Task<IReadOnlyList<ClaimedJob>> ClaimDueAsync(ClaimRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Takes over rows whose lease expired (their worker died, hung or lost the database), under a new lock token and
    /// lease, without spending an attempt: the caller reconciles them before anything else.
    /// </summary>
    Task<IReadOnlyList<ClaimedJob>> TakeOverExpiredAsync(
        string workerId, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the leases of the rows this worker holds, in one statement, each row fenced by its lock token.
    /// Returns the posts whose lease was lost (another worker took them over, or they finished elsewhere).
    /// </summary>
    Task<IReadOnlySet<Guid>> RenewLeasesAsync(
        IReadOnlyCollection<LeaseHold> holds, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The earliest next attempt of a pending row, if any.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);
}

/// <summary>What a worker asks of a claim: how many rows, for how long, and which accounts it cannot serve now.</summary>
public sealed record ClaimRequest(
    string WorkerId, int Max, TimeSpan Lease, IReadOnlyCollection<Guid> BusyAccounts, int PerAccount);

/// <summary>A row a worker holds, as named in a lease renewal.</summary>
public readonly record struct LeaseHold(Guid PostId, Guid LockToken);

/// <summary>
/// A row this worker holds, with what its publish needs (read in the claim's own round trip):
/// <see cref="LockToken"/> fences every change it makes.
/// </summary>
public sealed record ClaimedJob(
    Guid PostId,
    Guid SocialAccountId,
    Platform Platform,
    Guid LockToken,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset RunAt,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? PublishStartedAt,
    JobContent Content,
    JobAccount Account)
{
    public LeaseHold Hold => new(PostId, LockToken);
}

/// <summary>The post as it is published, and the comment to publish under it right after.</summary>
public sealed record JobContent(
    string Text,
    IReadOnlyList<PostMedia> Media,
    string? Link,
    string? PlatformState,
    PostFormat Format = PostFormat.Post,
    string? FirstComment = null);

/// <summary>The account it is published to; the token is still encrypted.</summary>
public sealed record JobAccount(
    string ExternalAccountId, string DisplayName, SocialAccountStatus Status, string AccessTokenEncrypted,
    AccountLogin Login = AccountLogin.Facebook)
{
    /// <summary>Can publish: active, or expiring (its token still works until it expires).</summary>
    public bool IsActive => Status is SocialAccountStatus.Active or SocialAccountStatus.Expiring;

    /// <summary>Keeps the encrypted token out of logs too.</summary>
    public override string ToString() => $"JobAccount {{ ExternalAccountId = {ExternalAccountId}, Status = {Status} }}";
}

/// <summary>Shorthands for callers that claim without account limits.</summary>
public static class JobQueueExtensions
{
    public static Task<IReadOnlyList<ClaimedJob>> ClaimDueAsync(
        this IJobQueue queue, string workerId, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        queue.ClaimDueAsync(new ClaimRequest(workerId, max, lease, [], max), cancellationToken);
}
