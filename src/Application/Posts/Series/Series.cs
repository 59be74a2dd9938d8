using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Application.SocialAccounts;
using Scheduler.Application.SocialAccounts.Slots;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts.Series;

/// <summary>
/// How a post repeats: <c>daily</c>, <c>weekly</c> (on <paramref name="Days"/>, else the first occurrence's weekday) or
/// <c>monthly</c>, every <paramref name="Interval"/> periods, for <paramref name="Count"/> occurrences or until a local
/// date (<paramref name="Until"/>, yyyy-MM-dd, included).
/// </summary>
public sealed record RecurrenceInput(string Frequency, int? Interval = null, IReadOnlyList<string>? Days = null, int? Count = null, string? Until = null)
{
    public Recurrence ToRecurrence() => new(
        Enum.Parse<RecurrenceFrequency>(Frequency, ignoreCase: true),
        Interval ?? 1,
        Days?.Select(d => Slots.TryDay(d, out var day) ? day : throw new DomainException($"'{d}' is not a day: monday … sunday.")).Distinct().ToList(),
        Count,
        Until is null ? null : DateOnly.ParseExact(Until, "yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>The occurrences of a recurring post, each a post of its own, in time order.</summary>
public sealed record PostSeriesDto(Guid SeriesId, IReadOnlyList<PostDto> Posts);

/// <summary>
/// Schedules a recurring post on one account: every occurrence is its own post (published, retried, edited on its
/// own), all created in one transaction and sharing a series id. <paramref name="RunAt"/> is the first occurrence's
/// local time (no offset) in <paramref name="TimeZone"/>; the others keep that local time across daylight-saving changes.
/// </summary>
public sealed record SchedulePostSeriesCommand(
    Guid SocialAccountId,
    string Content,
    string RunAt,
    string TimeZone,
    RecurrenceInput Recurrence,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? ClientId = null,
    Guid? CompanyId = null,
    IReadOnlyList<MediaInput>? Media = null,
    PostFormat? Format = null,
    bool Draft = false,
    string? FirstComment = null) : ICommand<PostSeriesDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }

    public SchedulePostCommand AsOnePost() =>
        new(SocialAccountId, Content, RunAt, TimeZone, MediaUrls, Link, ClientId, CompanyId, Media, Format, Draft, FirstComment);

    public bool HasOffset => RunAtResolver.CarriesOffset(RunAt);
}

public sealed class SchedulePostSeriesCommandValidator : AbstractValidator<SchedulePostSeriesCommand>
{
    public SchedulePostSeriesCommandValidator(RequestClock clock)
    {
        var onePost = new SchedulePostCommandValidator(clock);
        RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var failure in onePost.Validate(command.AsOnePost()).Errors)
            {
                context.AddFailure(failure);
            }
        });
        RuleFor(c => c.TimeZone).NotEmpty().WithMessage("A recurring post needs its timeZone: occurrences keep their local time in it.");
        RuleFor(c => c.RunAt).Must((c, _) => !c.HasOffset)
            .WithMessage("A recurring post's runAt is a local time without offset (e.g. 2030-01-05T09:30), in its timeZone.");
        RuleFor(c => c.Recurrence).NotNull().Custom((input, context) =>
        {
            if (input is null)
            {
                return;
            }

            if (!Enum.TryParse<RecurrenceFrequency>(input.Frequency, ignoreCase: true, out var frequency) || !Enum.IsDefined(frequency)
                || int.TryParse(input.Frequency, out _))
            {
                context.AddFailure("recurrence.frequency", "frequency is daily, weekly or monthly.");
                return;
            }

            if (input.Until is not null && !DateOnly.TryParseExact(input.Until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                context.AddFailure("recurrence.until", "until is a date, yyyy-MM-dd.");
                return;
            }

            try
            {
                var recurrence = input.ToRecurrence();
                var command = context.InstanceToValidate;
                if (!command.HasOffset && !string.IsNullOrWhiteSpace(command.TimeZone) && RunAtResolver.IsKnownZone(command.TimeZone.Trim())
                    && RunAtResolver.TryResolve(command.RunAt, command.TimeZone, out var first, out _))
                {
                    var zone = TimeZoneInfo.FindSystemTimeZoneById(command.TimeZone.Trim());
                    var local = TimeZoneInfo.ConvertTime(first, zone).DateTime;
                    recurrence.Occurrences(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), zone);
                }
            }
            catch (DomainException ex)
            {
                context.AddFailure("recurrence", ex.Message);
            }
        });
    }
}

/// <summary>What the platform accepts, and the media's hosts, checked as for one post (the same validator).</summary>
public sealed class SchedulePostSeriesPlatformValidator : AbstractValidator<SchedulePostSeriesCommand>
{
    public SchedulePostSeriesPlatformValidator(IApplicationDbContext db, ICurrentCompany company, MediaPreflight.MediaPreflight preflight)
    {
        var onePost = new SchedulePostPlatformValidator(db, company, preflight);
        RuleFor(c => c).CustomAsync(async (command, context, ct) =>
            (await onePost.ValidateAsync(command.AsOnePost(), ct)).Errors.ForEach(context.AddFailure));
    }
}

public sealed class SchedulePostSeriesCommandHandler(
    IApplicationDbContext db, ICurrentCompany company, RequestClock clock, IOptions<DispatcherOptions> options)
    : ICommandHandler<SchedulePostSeriesCommand, PostSeriesDto>
{
    public async ValueTask<PostSeriesDto> Handle(SchedulePostSeriesCommand command, CancellationToken cancellationToken)
    {
        var account = await CompanyAccounts.FindAsync(db, company, command.SocialAccountId, cancellationToken);
        await CompanyAccounts.EnsureClientAsync(db, company, command.ClientId, cancellationToken);

        var media = MediaInput.ToMedia(command.MediaUrls, command.Media) ?? [];
        var format = command.Format ?? PostFormat.Post;

        var zone = TimeZoneInfo.FindSystemTimeZoneById(command.TimeZone.Trim());
        var first = RunAtResolver.Resolve(command.RunAt, command.TimeZone);
        var local = TimeZoneInfo.ConvertTime(first, zone).DateTime;
        var occurrences = command.Recurrence.ToRecurrence()
            .Occurrences(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), zone);
        var seriesId = Ids.New();
        var posts = occurrences.Select(at => Post.Create(
                account, command.ClientId, command.Content ?? string.Empty, media, command.Link, at, options.Value.MaxAttempts,
                clock.UtcNow, format, draft: command.Draft, seriesId: seriesId, firstComment: command.FirstComment))
            .ToList();
        db.Posts.AddRange(posts);
        return new PostSeriesDto(seriesId, [.. posts.Select(p => p.ToDto())]);
    }
}

/// <summary>
/// Edits the occurrences of a series not yet published (pending, draft or awaiting approval): content, media, link,
/// first comment (an empty link or first comment removes it). Published, failed or cancelled occurrences stay as they are.
/// </summary>
public sealed record EditPostSeriesCommand(
    Guid SeriesId,
    string? Content = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? CompanyId = null,
    string? FirstComment = null)
    : ICommand<PostSeriesDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class EditPostSeriesCommandValidator : AbstractValidator<EditPostSeriesCommand>
{
    public EditPostSeriesCommandValidator()
    {
        RuleFor(c => c.SeriesId).NotEmpty();
        RuleFor(c => c).Must(c => c.Content is not null || c.MediaUrls is not null || c.Link is not null || c.FirstComment is not null)
            .WithName("content").WithMessage("Give content, mediaUrls, link or firstComment to change.");
        RuleFor(c => c.Content).NotEmpty().When(c => c.Content is not null);
        RuleForEach(c => c.MediaUrls).MustBeHttpsMediaUrl();
        RuleFor(c => c.Link).MustBeHttpUrl();
    }
}

/// <summary>Stops a series: every occurrence not yet published is cancelled; the published ones stay.</summary>
public sealed record StopPostSeriesCommand(Guid SeriesId, Guid? CompanyId = null) : ICommand<PostSeriesDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class StopPostSeriesCommandValidator : AbstractValidator<StopPostSeriesCommand>
{
    public StopPostSeriesCommandValidator() => RuleFor(c => c.SeriesId).NotEmpty();
}

public sealed class PostSeriesHandlers(IApplicationDbContext db, ICurrentCompany company, RequestClock clock)
    : ICommandHandler<EditPostSeriesCommand, PostSeriesDto>, ICommandHandler<StopPostSeriesCommand, PostSeriesDto>
{
    public async ValueTask<PostSeriesDto> Handle(EditPostSeriesCommand command, CancellationToken cancellationToken)
    {
        var posts = await SeriesAsync(command.SeriesId, cancellationToken);
        foreach (var post in posts.Where(p => p.IsEditable))
        {
            post.Edit(
                command.Content, command.MediaUrls?.Select(url => PostMedia.From(url)), command.Link, clock.UtcNow,
                firstComment: command.FirstComment);
        }

        return new PostSeriesDto(command.SeriesId, [.. posts.Select(p => p.ToDto())]);
    }

    public async ValueTask<PostSeriesDto> Handle(StopPostSeriesCommand command, CancellationToken cancellationToken)
    {
        var posts = await SeriesAsync(command.SeriesId, cancellationToken);
        foreach (var post in posts.Where(p => p.IsEditable))
        {
            post.Cancel(clock.UtcNow);
        }

        return new PostSeriesDto(command.SeriesId, [.. posts.Select(p => p.ToDto())]);
    }

    private async Task<List<Post>> SeriesAsync(Guid seriesId, CancellationToken ct)
    {
        var posts = await db.Posts.Where(p => p.SeriesId == seriesId && p.CompanyId == company.Id).OrderBy(p => p.RunAt).ToListAsync(ct);
        return posts.Count > 0 ? posts : throw new NotFoundException("post series", seriesId);
    }
}
