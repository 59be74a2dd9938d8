using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Posts.Quotas;

/// <summary>What to do when a post would take an Instagram account over its publishing quota.</summary>
public enum QuotaEnforcement
{
    /// <summary>Schedule it, with a warning in the response (the platform defers the extras).</summary>
    Warn,

    /// <summary>Refuse it with a 409 naming the window and the quota.</summary>
    Reject,
}

/// <summary><c>Quotas:*</c>: the platforms' publishing quotas as scheduling sees them.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quotas";

    /// <summary>
    /// Posts an Instagram account may publish in any 24 hours (<c>content_publishing_limit</c>: 100 in the current
    /// documentation; 50 or 25 for some accounts and older versions — set what your accounts report).
    /// </summary>
    [Range(1, 10_000)]
    public int InstagramPostsPerDay { get; set; } = 100;

    public QuotaEnforcement Enforcement { get; set; } = QuotaEnforcement.Warn;
}

/// <summary>
/// Instagram's 24-hour publishing quota, checked when posts are scheduled: the account's live posts (pending,
/// processing, published) around the new time are counted, and the busiest 24 hours that would hold the new post
/// is compared with the quota. One query per Instagram account scheduled.
/// </summary>
public sealed class PublishingQuota(IApplicationDbContext db, IOptions<QuotaOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>
    /// A warning when one more post at <paramref name="runAt"/> (or <paramref name="movingPostId"/> moved there) exceeds
    /// the quota; throws <see cref="QuotaExceededException"/> instead when configured to reject.
    /// </summary>
    public async Task<string?> CheckAsync(SocialAccount account, DateTimeOffset runAt, Guid? movingPostId, CancellationToken cancellationToken)
    {
        if (account.Platform != Platform.Instagram)
        {
            return null;
        }

        var quota = options.Value.InstagramPostsPerDay;
        var (from, to) = (runAt - Window, runAt + Window);
        var times = await db.Posts.AsNoTracking()
            .Where(p => p.SocialAccountId == account.Id && p.RunAt > from && p.RunAt < to && p.Id != movingPostId
                        && (p.Status == PostStatus.Pending || p.Status == PostStatus.Published))
            .Select(p => p.RunAt)
            .ToListAsync(cancellationToken);
        var busiest = Busiest([.. times, runAt], runAt);
        if (busiest.Count <= quota)
        {
            return null;
        }

        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"Instagram publishes at most {quota} posts per account in any 24 hours; with this one, {account.DisplayName} would have {busiest.Count} between {busiest.Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} and {busiest.Start.Add(Window).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}. The platform refuses the extras; they would wait for the quota.");
        return options.Value.Enforcement == QuotaEnforcement.Reject ? throw new QuotaExceededException(message) : message;
    }

    /// <summary>The 24 hours holding <paramref name="at"/> with the most of <paramref name="times"/>: where it starts, how many.</summary>
    public static (DateTimeOffset Start, int Count) Busiest(IReadOnlyList<DateTimeOffset> times, DateTimeOffset at)
    {
        var sorted = times.Order().ToList();
        var best = (Start: at, Count: 0);
        // A busiest window can start at a post's time; only those starting within the 24 hours before `at` hold it.
        var end = 0;
        for (var start = 0; start < sorted.Count; start++)
        {
            if (sorted[start] > at || sorted[start] <= at - Window)
            {
                continue;
            }

            end = Math.Max(end, start);
            while (end < sorted.Count && sorted[end] < sorted[start] + Window)
            {
                end++;
            }

            if (end - start > best.Count)
            {
                best = (sorted[start], end - start);
            }
        }

        return best;
    }
}

/// <summary>A post refused because it would exceed a platform's publishing quota (409).</summary>
public sealed class QuotaExceededException(string message) : Exception(message);
