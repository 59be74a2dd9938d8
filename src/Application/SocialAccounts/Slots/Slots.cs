using System.Globalization;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Application.Posts;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts.Slots;

/// <summary>A posting time as callers write it: day names (<c>monday</c> … <c>sunday</c>) and a local time <c>HH:mm</c>.</summary>
public sealed record SlotInput(IReadOnlyList<string> Days, string Time);

/// <param name="Next">The next free slot times (UTC), the first being where a "next-slot" post would go.</param>
public sealed record PostingSlotsDto(Guid SocialAccountId, string? TimeZone, IReadOnlyList<SlotInput> Slots, IReadOnlyList<DateTimeOffset> Next);

/// <summary>Sets an account's posting times in its IANA time zone (its queue); no slots removes them.</summary>
public sealed record SetPostingSlotsCommand(Guid SocialAccountId, string? TimeZone, IReadOnlyList<SlotInput>? Slots, Guid? CompanyId = null)
    : ICommand<PostingSlotsDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed record GetPostingSlotsQuery(Guid SocialAccountId, Guid? CompanyId = null) : IQuery<PostingSlotsDto>, ICompanyScoped;

public sealed class SetPostingSlotsCommandValidator : AbstractValidator<SetPostingSlotsCommand>
{
    public SetPostingSlotsCommandValidator()
    {
        RuleFor(c => c.SocialAccountId).NotEmpty();
        RuleFor(c => c.TimeZone).Cascade(CascadeMode.Stop).NotEmpty().MustBeKnownTimeZone().When(c => c.Slots is { Count: > 0 });
        RuleFor(c => c.Slots).Must(s => s is null || s.Count <= PostingSlots.MaxSlots)
            .WithMessage($"slots holds at most {PostingSlots.MaxSlots} posting times.");
        RuleForEach(c => c.Slots).NotNull().ChildRules(slot =>
        {
            slot.RuleFor(s => s.Days).NotEmpty();
            slot.RuleForEach(s => s.Days).Must(d => Slots.TryDay(d, out _))
                .WithMessage("'{PropertyValue}' is not a day: monday … sunday.");
            slot.RuleFor(s => s.Time).Must(t => Slots.TryTime(t, out _)).WithMessage("time is a local time, HH:mm (e.g. 09:30).");
        });
    }
}

public sealed class SetPostingSlotsCommandHandler(IApplicationDbContext db, ICurrentCompany company, RequestClock clock)
    : ICommandHandler<SetPostingSlotsCommand, PostingSlotsDto>
{
    public async ValueTask<PostingSlotsDto> Handle(SetPostingSlotsCommand command, CancellationToken cancellationToken)
    {
        var account = await Slots.AccountAsync(db, company, command.SocialAccountId, cancellationToken);
        var slots = command.Slots is not { Count: > 0 } inputs
            ? null
            : new PostingSlots(command.TimeZone!.Trim(), [.. inputs.Select(s => new PostingSlot(
                [.. s.Days.Select(d => Slots.TryDay(d, out var day) ? day : default).Distinct()], Slots.Time(s.Time)))]);
        account.SetPostingSlots(slots, clock.UtcNow);
        return await Slots.DtoAsync(db, account, clock.UtcNow, cancellationToken);
    }
}

public sealed class GetPostingSlotsQueryHandler(IApplicationDbContext db, ICurrentCompany company, RequestClock clock)
    : IQueryHandler<GetPostingSlotsQuery, PostingSlotsDto>
{
    public async ValueTask<PostingSlotsDto> Handle(GetPostingSlotsQuery query, CancellationToken cancellationToken) =>
        await Slots.DtoAsync(db, await Slots.AccountAsync(db, company, query.SocialAccountId, cancellationToken), clock.UtcNow, cancellationToken);
}

/// <summary>The slot arithmetic the commands share: parsing, the taken times, the next free slots.</summary>
public static class Slots
{
    /// <summary>The <c>runAt</c> that asks for the account's next free slot.</summary>
    public const string NextSlot = "next-slot";

    public static bool IsNextSlot(string? runAt) => string.Equals(runAt?.Trim(), NextSlot, StringComparison.OrdinalIgnoreCase);

    public static bool TryDay(string? name, out DayOfWeek day) =>
        Enum.TryParse(name?.Trim(), ignoreCase: true, out day) && Enum.IsDefined(day) && !int.TryParse(name, out _);

    public static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static TimeOnly Time(string text) => TryTime(text, out var time) ? time : throw new FormatException(text);

    public static Task<SocialAccount> AccountAsync(IApplicationDbContext db, ICurrentCompany company, Guid id, CancellationToken ct) =>
        CompanyAccounts.FindAsync(db, company, id, ct);

    /// <summary>
    /// The account's free slot times after <paramref name="now"/>: slots already holding one of its posts waiting to be
    /// published (pending, draft, awaiting approval) are taken.
    /// </summary>
    public static async Task<IReadOnlyList<DateTimeOffset>> FreeAsync(
        IApplicationDbContext db, SocialAccount account, DateTimeOffset now, int count, CancellationToken ct)
    {
        if (account.PostingSlots is not { } slots)
        {
            return [];
        }

        var taken = (await db.Posts.AsNoTracking()
                .Where(p => p.SocialAccountId == account.Id && p.RunAt > now
                            && (p.Status == PostStatus.Pending || p.Status == PostStatus.Draft || p.Status == PostStatus.PendingApproval))
                .Select(p => p.RunAt)
                .ToListAsync(ct))
            .ToHashSet();
        return [.. slots.Upcoming(now).Where(t => !taken.Contains(t)).Take(count)];
    }

    public static async Task<PostingSlotsDto> DtoAsync(IApplicationDbContext db, SocialAccount account, DateTimeOffset now, CancellationToken ct) =>
        new(account.Id,
            account.PostingSlots?.TimeZone,
            [.. (account.PostingSlots?.Slots ?? []).Select(s => new SlotInput(
                [.. s.Days.Select(d => d.ToString().ToLowerInvariant())], s.Time.ToString("HH:mm", CultureInfo.InvariantCulture)))],
            await FreeAsync(db, account, now, 5, ct));
}

/// <summary>
/// Reorders an account's waiting posts within its queue: the posts keep the same set of times, given out in the order
/// of <paramref name="PostIds"/> (the first gets the earliest). Every post must be the account's and still editable.
/// </summary>
public sealed record ReorderQueueCommand(Guid SocialAccountId, IReadOnlyList<Guid> PostIds, Guid? CompanyId = null)
    : ICommand<IReadOnlyList<PostDto>>, ICompanyScoped, IIdempotentCommand
{
    public const int MaxPosts = 500;

    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class ReorderQueueCommandValidator : AbstractValidator<ReorderQueueCommand>
{
    public ReorderQueueCommandValidator()
    {
        RuleFor(c => c.SocialAccountId).NotEmpty();
        RuleFor(c => c.PostIds).NotEmpty()
            .Must(ids => ids.Count <= ReorderQueueCommand.MaxPosts).WithMessage($"postIds holds at most {ReorderQueueCommand.MaxPosts} posts.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("postIds names a post twice.");
    }
}

public sealed class ReorderQueueCommandHandler(IApplicationDbContext db, ICurrentCompany company, RequestClock clock)
    : ICommandHandler<ReorderQueueCommand, IReadOnlyList<PostDto>>
{
    public async ValueTask<IReadOnlyList<PostDto>> Handle(ReorderQueueCommand command, CancellationToken cancellationToken)
    {
        await Slots.AccountAsync(db, company, command.SocialAccountId, cancellationToken);
        var ids = command.PostIds;
        var posts = await db.Posts.Where(p => ids.Contains(p.Id) && p.CompanyId == company.Id && p.SocialAccountId == command.SocialAccountId)
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        if (ids.FirstOrDefault(id => !posts.ContainsKey(id)) is var missing && missing != Guid.Empty)
        {
            throw new NotFoundException("post of this account", missing);
        }

        var times = posts.Values.Select(p => p.RunAt).Order().ToList();
        var now = clock.UtcNow;
        for (var i = 0; i < ids.Count; i++)
        {
            posts[ids[i]].Reschedule(times[i], now);
        }

        return [.. ids.Select(id => posts[id].ToDto())];
    }
}
