using Scheduler.Application.Posts;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Queue;

/// <summary>
/// Posts counted by company, platform and status, kept exact by every save that adds, changes the status of or deletes a
/// post (in the same transaction): what the health views show without counting a million rows per request.
/// </summary>
public interface IPostCounts
{
    /// <summary>The counts of one company, or of every company when <paramref name="companyId"/> is null; no zero rows.</summary>
    Task<IReadOnlyList<PostCountRow>> ReadAsync(Guid? companyId, CancellationToken cancellationToken);

    /// <summary>
    /// Counts every post again, holding writes to posts meanwhile (about a second per million posts): after posts were
    /// changed by hand in SQL, or by a node of a version that did not keep the counts.
    /// </summary>
    Task<int> RecountAsync(CancellationToken cancellationToken);
}

public sealed record PostCountRow(Guid CompanyId, Platform Platform, PostStatus Status, int Count);

/// <summary>Counts as callers see them: by <see cref="PostState"/>, with the posts a worker holds as processing.</summary>
public static class QueueCounts
{
    public static Dictionary<PostState, int> Of(IEnumerable<PostCountRow> rows, int processing)
    {
        var counts = Enum.GetValues<PostState>().ToDictionary(s => s, _ => 0);
        foreach (var row in rows)
        {
            counts[PostStates.Of(row.Status, ScheduleStatus.Pending)] += row.Count;
        }

        counts[PostState.Processing] = processing;
        counts[PostState.Pending] = Math.Max(0, counts[PostState.Pending] - processing);
        return counts;
    }
}
