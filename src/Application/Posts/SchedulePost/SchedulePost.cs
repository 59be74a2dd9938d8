using System.Globalization;
using Scheduler.Application.Common.Idempotency;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Domain.Posts;
using Scheduler.Application.SocialAccounts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Posts.SchedulePost;

/// <summary>
/// Schedules a post on one of the company's social accounts. <paramref name="RunAt"/> is ISO-8601 with an offset,
/// a local time with an IANA <paramref name="TimeZone"/>, or <c>next-slot</c>: the account's first free posting slot. Media come as plain <paramref name="MediaUrls"/> or as
/// <paramref name="Media"/> items with alternative text and kind (not both); <paramref name="Format"/> is a feed post
/// (the default), a story or a reel. <paramref name="Draft"/> keeps the post out of the queue until it is scheduled or
/// approved. <paramref name="FirstComment"/> is published under the post right after it goes live.
/// </summary>
public sealed record SchedulePostCommand(
    Guid SocialAccountId,
    string Content,
    string RunAt,
    string? TimeZone = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? ClientId = null,
    Guid? CompanyId = null,
    IReadOnlyList<MediaInput>? Media = null,
    PostFormat? Format = null,
    bool Draft = false,
    string? FirstComment = null) : ICommand<PostDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }

    public IReadOnlyList<PostMedia> PostMedia => MediaInput.ToMedia(MediaUrls, Media) ?? [];
}

public sealed class SchedulePostCommandValidator : AbstractValidator<SchedulePostCommand>
{
    public SchedulePostCommandValidator(RequestClock clock)
    {
        RuleFor(c => c.SocialAccountId).NotEmpty();
        RuleFor(c => c.ClientId).NotEqual(Guid.Empty);
        RuleFor(c => c.Content).NotEmpty().When(c => c.Format != PostFormat.Story);
        RuleFor(c => c.TimeZone).MustBeKnownTimeZone();
        RuleFor(c => c.RunAt).MustBeFutureRunAt(c => c.TimeZone, clock).When(c => !SocialAccounts.Slots.Slots.IsNextSlot(c.RunAt));
        RuleFor(c => c.MediaUrls).MustHoldFewMedia();
        RuleForEach(c => c.MediaUrls).MustBeHttpsMediaUrl();
        RuleFor(c => c.Media).MustHoldFewMedia()
            .Must((c, media) => media is null || c.MediaUrls is null).WithMessage("Give mediaUrls or media, not both.");
        RuleForEach(c => c.Media).MustBeValidMedia();
        RuleFor(c => c.Format).IsInEnum();
        RuleFor(c => c.Link).MustBeHttpUrl();
    }
}

/// <summary>What the platform accepts depends on the account; an unknown account is left to the handler's 404.</summary>
public sealed class SchedulePostPlatformValidator : AbstractValidator<SchedulePostCommand>
{
    public SchedulePostPlatformValidator(IApplicationDbContext db, ICurrentCompany company, MediaPreflight.MediaPreflight preflight)
    {
        RuleFor(c => c.Content).CustomAsync(async (content, context, ct) =>
        {
            var command = context.InstanceToValidate;
            if (command.SocialAccountId == Guid.Empty
                || (command.Media?.Any(m => m is null || !PostRules.IsAbsoluteHttps(m.Url)) ?? false))
            {
                return;
            }

            // Read once per request: the handler's look-up is answered from the change tracker.
            var account = await db.FindSocialAccountAsync(command.SocialAccountId, ct);
            if (account is null || account.CompanyId != company.Id)
            {
                return;
            }

            var problems = PostRules.PlatformFailures(
                account.Platform, command.Format ?? PostFormat.Post, content ?? string.Empty, command.PostMedia, command.FirstComment);
            problems.ForEach(context.AddFailure);

            // The files themselves, asked of their hosts: only for a post that is otherwise acceptable.
            if (problems.Count > 0)
            {
                return;
            }

            var property = command.Media is not null ? "media" : "mediaUrls";
            foreach (var failure in await preflight.CheckAsync(account.Platform, command.Format ?? PostFormat.Post, command.PostMedia, property, ct))
            {
                context.AddFailure(failure);
            }
        });
    }
}

public sealed class SchedulePostCommandHandler(
    IApplicationDbContext db,
    ICurrentCompany company,
    RequestClock clock,
    IOptions<DispatcherOptions> options,
    MediaPreflight.MediaPreflightReport preflight,
    Quotas.PublishingQuota quota) : ICommandHandler<SchedulePostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(SchedulePostCommand command, CancellationToken cancellationToken)
    {
        var account = await CompanyAccounts.FindAsync(db, company, command.SocialAccountId, cancellationToken);
        await CompanyAccounts.EnsureClientAsync(db, company, command.ClientId, cancellationToken);

        var runAt = SocialAccounts.Slots.Slots.IsNextSlot(command.RunAt)
            ? await NextSlotAsync(account, cancellationToken)
            : RunAtResolver.Resolve(command.RunAt, command.TimeZone);
        var post = Post.Create(
            account,
            command.ClientId,
            command.Content ?? string.Empty,
            command.PostMedia,
            command.Link,
            runAt,
            options.Value.MaxAttempts,
            clock.UtcNow,
            command.Format ?? PostFormat.Post,
            draft: command.Draft,
            firstComment: command.FirstComment);
        db.Posts.Add(post);
        List<string> warnings = [.. preflight.Warnings];
        if (TokenExpiryWarning(account, runAt) is { } expiry)
        {
            warnings.Add(expiry);
        }

        if (!command.Draft && await quota.CheckAsync(account, runAt, null, cancellationToken) is { } overQuota)
        {
            warnings.Add(overQuota);
        }

        return post.ToDto() with { Warnings = warnings.Count > 0 ? warnings : null };
    }

    /// <summary>The account's first free posting slot ("runAt": "next-slot").</summary>
    private async Task<DateTimeOffset> NextSlotAsync(SocialAccount account, CancellationToken ct)
    {
        if (account.PostingSlots is null)
        {
            throw new Domain.Common.DomainException(
                $"Social account {account.Id} has no posting slots; set them with PUT /social-accounts/{account.Id}/slots, or give runAt a time.");
        }

        var free = await SocialAccounts.Slots.Slots.FreeAsync(db, account, clock.UtcNow, 1, ct);
        return free.Count > 0 ? free[0] : throw new Domain.Common.DomainException($"Social account {account.Id} has no free posting slot in the next year.");
    }

    /// <summary>The warning for a post due after its account's token expires; null when the token outlives it.</summary>
    public static string? TokenExpiryWarning(SocialAccount account, DateTimeOffset runAt) =>
        account.TokenExpiresAt is { } expires && expires <= runAt
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"The account's token expires at {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, before this post's time: reconnect the account before then, or the post will fail.")
            : null;
}
