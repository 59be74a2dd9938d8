using Scheduler.Application.Common.Idempotency;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Specifications;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts.ReschedulePost;

/// <summary>Moves and/or edits a pending post. Fields left null keep their value; an empty link or first comment removes it.</summary>
public sealed record ReschedulePostCommand(
    Guid PostId,
    string? RunAt = null,
    string? TimeZone = null,
    string? Content = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? CompanyId = null,
    IReadOnlyList<MediaInput>? Media = null,
    PostFormat? Format = null,
    string? FirstComment = null) : ICommand<PostDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }

    public bool EditsContent =>
        Content is not null || MediaUrls is not null || Media is not null || Link is not null || Format is not null || FirstComment is not null;
}

public sealed class ReschedulePostCommandValidator : AbstractValidator<ReschedulePostCommand>
{
    public ReschedulePostCommandValidator(RequestClock clock)
    {
        RuleFor(c => c.PostId).NotEmpty();
        RuleFor(c => c)
            .Must(c => c.RunAt is not null || c.EditsContent)
            .OverridePropertyName("body")
            .WithMessage("Give at least one of runAt, content, mediaUrls, media, format, link or firstComment.");
        RuleFor(c => c.TimeZone).MustBeKnownTimeZone();
        When(c => c.RunAt is not null, () => RuleFor(c => c.RunAt).MustBeFutureRunAt(c => c.TimeZone, clock));
        RuleFor(c => c.Content).NotEmpty().When(c => c.Content is not null);
        RuleFor(c => c.MediaUrls).MustHoldFewMedia();
        RuleForEach(c => c.MediaUrls).MustBeHttpsMediaUrl();
        RuleFor(c => c.Media).MustHoldFewMedia()
            .Must((c, media) => media is null || c.MediaUrls is null).WithMessage("Give mediaUrls or media, not both.");
        RuleForEach(c => c.Media).MustBeValidMedia();
        RuleFor(c => c.Format).IsInEnum();
        RuleFor(c => c.Link).MustBeHttpUrl();
    }
}

/// <summary>
/// What the platform accepts, checked on the post as the edit would leave it (a 400 naming the field, as when it is
/// scheduled), then new media with their hosts; an unknown post is left to the handler's 404.
/// </summary>
public sealed class ReschedulePostPlatformValidator : AbstractValidator<ReschedulePostCommand>
{
    public ReschedulePostPlatformValidator(IApplicationDbContext db, ICurrentCompany company, MediaPreflight.MediaPreflight preflight)
    {
        RuleFor(c => c).CustomAsync(async (command, context, ct) =>
        {
            if (!command.EditsContent || command.Content is { Length: 0 } || (command.MediaUrls is not null && command.Media is not null)
                || (command.MediaUrls?.Any(url => !PostRules.IsAbsoluteHttps(url)) ?? false)
                || (command.Media?.Any(m => m is null || !PostRules.IsAbsoluteHttps(m.Url)) ?? false))
            {
                return;
            }

            var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id)).SingleOrDefaultAsync(ct);
            if (post is null)
            {
                return;
            }

            var format = command.Format ?? post.Format;
            var media = MediaInput.ToMedia(command.MediaUrls, command.Media);
            var comment = command.FirstComment is null ? post.FirstComment : command.FirstComment.Length == 0 ? null : command.FirstComment;
            var problems = PostRules.PlatformFailures(post.Platform, format, command.Content ?? post.Content, media ?? post.Media, comment);
            problems.ForEach(context.AddFailure);

            // The files themselves, asked of their hosts: only new media of an edit that is otherwise acceptable.
            if (media is null || problems.Count > 0)
            {
                return;
            }

            var property = command.Media is not null ? "media" : "mediaUrls";
            foreach (var failure in await preflight.CheckAsync(post.Platform, format, media, property, ct))
            {
                context.AddFailure(failure);
            }
        });
    }
}

public sealed class ReschedulePostCommandHandler(
    IApplicationDbContext db, ICurrentCompany company, RequestClock clock, MediaPreflight.MediaPreflightReport preflight, Quotas.PublishingQuota quota)
    : ICommandHandler<ReschedulePostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(ReschedulePostCommand command, CancellationToken cancellationToken)
    {
        var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id))
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", command.PostId);

        var now = clock.UtcNow;
        if (command.EditsContent)
        {
            post.Edit(command.Content, MediaInput.ToMedia(command.MediaUrls, command.Media), command.Link, now, command.Format, command.FirstComment);
        }

        List<string> warnings = [.. preflight.Warnings];
        if (command.RunAt is not null)
        {
            var runAt = RunAtResolver.Resolve(command.RunAt, command.TimeZone);
            if (post.Platform == Domain.SocialAccounts.Platform.Instagram && runAt != post.RunAt
                && await db.FindSocialAccountAsync(post.SocialAccountId, cancellationToken) is { } account
                && await quota.CheckAsync(account, runAt, post.Id, cancellationToken) is { } overQuota)
            {
                warnings.Add(overQuota);
            }

            post.Reschedule(runAt, now);
        }

        return post.ToDto() with { Warnings = warnings.Count > 0 ? warnings : null };
    }
}
