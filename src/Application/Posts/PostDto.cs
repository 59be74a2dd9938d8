using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Posts;

/// <summary>A scheduled post as the API returns it.</summary>
public record PostDto
{
    public required Guid Id { get; init; }

    public required Guid CompanyId { get; init; }

    public Guid? ClientId { get; init; }

    public required Guid SocialAccountId { get; init; }

    /// <summary>Shared by the posts scheduled together on several accounts; null for a post on its own.</summary>
    public Guid? GroupId { get; init; }

    /// <summary>Shared by the occurrences of a recurring post; null for a post that does not recur.</summary>
    public Guid? SeriesId { get; init; }

    public required Platform Platform { get; init; }

    public required string Content { get; init; }

    /// <summary>The media URLs alone, in order (the same as <see cref="Media"/>'s).</summary>
    public required IReadOnlyList<string> MediaUrls { get; init; }

    /// <summary>Each media item with its kind and alternative text.</summary>
    public required IReadOnlyList<PostMedia> Media { get; init; }

    public required PostFormat Format { get; init; }

    public string? Link { get; init; }

    /// <summary>The time the user chose; a retry never moves it.</summary>
    public required DateTimeOffset RunAt { get; init; }

    /// <summary>While the post waits in the queue, when it is next handed to a worker (later than runAt after a retry).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public required PostState Status { get; init; }

    public required int Attempts { get; init; }

    public required int MaxAttempts { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public string? ExternalPostId { get; init; }

    public string? LastError { get; init; }

    /// <summary>The comment published under the post right after it; null for none.</summary>
    public string? FirstComment { get; init; }

    /// <summary>pending until the post goes live, then published or failed (the post stays published either way).</summary>
    public FirstCommentStatus? FirstCommentStatus { get; init; }

    /// <summary>The platform's id of the comment once published.</summary>
    public string? FirstCommentId { get; init; }

    /// <summary>Why the comment did not go out; the post itself is published.</summary>
    public string? FirstCommentError { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What could not be checked when the post was scheduled (a media host that did not answer); null otherwise.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
