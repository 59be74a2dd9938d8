using System.Globalization;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Posts.GetCalendar;

/// <summary>
/// The company's posts, in every state, by local day in <paramref name="TimeZone"/> from <paramref name="From"/> to
/// <paramref name="To"/> (dates, both included, at most <see cref="MaxDays"/> days): per day the number of posts by state
/// and the first <paramref name="PerDay"/> entries in time order, the posts of a multi-account group folded into one.
/// </summary>
public sealed record GetCalendarQuery(
    string From,
    string To,
    string TimeZone,
    int? PerDay = null,
    Guid? SocialAccountId = null,
    Guid? CompanyId = null) : IQuery<CalendarDto>, ICompanyScoped
{
    public const int MaxDays = 62;

    public const int DefaultPerDay = 20;

    public const int MaxPerDay = 100;

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

public sealed record CalendarDto(string TimeZone, DateOnly From, DateOnly To, IReadOnlyList<CalendarDay> Days);

/// <param name="Posts">Posts that day (a group counts each of its posts).</param>
/// <param name="Entries">Entries that day (a group is one).</param>
/// <param name="More">Entries that day beyond those in <paramref name="Items"/>.</param>
public sealed record CalendarDay(
    DateOnly Date, int Posts, int Entries, IReadOnlyDictionary<PostState, int> ByState, IReadOnlyList<CalendarEntry> Items, int More);

/// <summary>One post, or the posts of one multi-account group (<paramref name="GroupId"/>), at a local time.</summary>
public sealed record CalendarEntry(Guid? GroupId, DateTimeOffset RunAt, string LocalTime, string Excerpt, IReadOnlyList<CalendarPost> Posts);

public sealed record CalendarPost(Guid Id, Guid SocialAccountId, Platform Platform, PostState Status);

public sealed class GetCalendarQueryValidator : AbstractValidator<GetCalendarQuery>
{
    public GetCalendarQueryValidator()
    {
        RuleFor(q => q.From).Must(f => GetCalendarQuery.TryDate(f, out _)).WithMessage("from must be a date, yyyy-MM-dd.");
        RuleFor(q => q.To).Must(t => GetCalendarQuery.TryDate(t, out _)).WithMessage("to must be a date, yyyy-MM-dd.");
        RuleFor(q => q.To)
            .Must((q, to) => !GetCalendarQuery.TryDate(q.From, out var from) || !GetCalendarQuery.TryDate(to, out var last)
                             || (last >= from && last.DayNumber - from.DayNumber < GetCalendarQuery.MaxDays))
            .WithMessage($"to must be on or after from, at most {GetCalendarQuery.MaxDays} days in all.");
        RuleFor(q => q.TimeZone).Cascade(CascadeMode.Stop).NotEmpty().MustBeKnownTimeZone();
        RuleFor(q => q.PerDay).InclusiveBetween(1, GetCalendarQuery.MaxPerDay);
        RuleFor(q => q.SocialAccountId).NotEqual(Guid.Empty);
    }
}

public sealed class GetCalendarQueryHandler(IApplicationDbContext db, ICurrentCompany company) : IQueryHandler<GetCalendarQuery, CalendarDto>
{
    private const int ExcerptLength = 120;

    public async ValueTask<CalendarDto> Handle(GetCalendarQuery query, CancellationToken cancellationToken)
    {
        GetCalendarQuery.TryDate(query.From, out var first);
        GetCalendarQuery.TryDate(query.To, out var last);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(query.TimeZone.Trim());
        var perDay = query.PerDay ?? GetCalendarQuery.DefaultPerDay;

        // Where each local day starts, as an instant: days are 23 or 25 hours across a daylight-saving change.
        var starts = Enumerable.Range(0, last.DayNumber - first.DayNumber + 2)
            .Select(i => LocalDays.StartUtc(first.AddDays(i), zone))
            .ToArray();
        var (start, end) = (starts[0], starts[^1]);
        var posts = db.Posts.AsNoTracking()
            .Where(p => p.CompanyId == company.Id && p.RunAt >= start && p.RunAt < end);
        if (query.SocialAccountId is { } accountId)
        {
            posts = posts.Where(p => p.SocialAccountId == accountId);
        }

        // Every post of the range, lean (its (company, time) index and row), then the details of the entries shown.
        var all = await posts
            .OrderBy(p => p.RunAt).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.RunAt, p.GroupId, p.Status })
            .ToListAsync(cancellationToken);
        var held = (await posts.Where(p => p.Schedule.Status == ScheduleStatus.Processing).Select(p => p.Id).ToListAsync(cancellationToken))
            .ToHashSet();

        var days = new List<(DateOnly Date, Dictionary<PostState, int> ByState, List<List<Guid>> Entries)>();
        var dayIndex = 0;
        var byEntry = new Dictionary<Guid, List<Guid>>();
        for (var i = 0; i < starts.Length - 1; i++)
        {
            days.Add((first.AddDays(i), Enum.GetValues<PostState>().ToDictionary(s => s, _ => 0), []));
        }

        foreach (var post in all)
        {
            while (post.RunAt >= starts[dayIndex + 1])
            {
                dayIndex++;
                byEntry.Clear();
            }

            var day = days[dayIndex];
            day.ByState[held.Contains(post.Id) ? PostState.Processing : PostStates.Of(post.Status, ScheduleStatus.Pending)]++;
            var key = post.GroupId ?? post.Id;
            if (!byEntry.TryGetValue(key, out var entry))
            {
                byEntry[key] = entry = [];
                day.Entries.Add(entry);
            }

            entry.Add(post.Id);
        }

        var shown = days.SelectMany(d => d.Entries.Take(perDay)).SelectMany(e => e).ToList();
        var details = (await db.Posts.AsNoTracking()
                .Where(p => shown.Contains(p.Id))
                .Select(p => new
                {
                    p.Id, p.GroupId, p.SocialAccountId, p.Platform, p.Status, p.RunAt,
                    Excerpt = p.Content.Length > ExcerptLength ? p.Content.Substring(0, ExcerptLength) : p.Content,
                })
                .ToListAsync(cancellationToken))
            .ToDictionary(p => p.Id);

        return new CalendarDto(query.TimeZone.Trim(), first, last, [.. days.Select(day => new CalendarDay(
            day.Date,
            day.ByState.Values.Sum(),
            day.Entries.Count,
            day.ByState,
            [.. day.Entries.Take(perDay).Select(ids =>
            {
                var lead = details[ids[0]];
                var local = TimeZoneInfo.ConvertTime(lead.RunAt, zone);
                return new CalendarEntry(
                    lead.GroupId,
                    lead.RunAt,
                    local.ToString("HH:mm", CultureInfo.InvariantCulture),
                    lead.Excerpt,
                    [.. ids.Select(id => details[id]).Select(p => new CalendarPost(
                        p.Id, p.SocialAccountId, p.Platform,
                        held.Contains(p.Id) ? PostState.Processing : PostStates.Of(p.Status, ScheduleStatus.Pending)))]);
            })],
            Math.Max(0, day.Entries.Count - perDay)))]);
    }
}

/// <summary>Local days as instants.</summary>
public static class LocalDays
{
    /// <summary>
    /// The first instant of <paramref name="day"/> in <paramref name="zone"/>: local midnight, or the first local time
    /// after it where midnight falls in a daylight-saving gap; the earlier of the two where it repeats.
    /// </summary>
    public static DateTimeOffset StartUtc(DateOnly day, TimeZoneInfo zone) =>
        Domain.Posts.LocalTimes.ToUtc(day.ToDateTime(TimeOnly.MinValue), zone);
}
