using FluentValidation;
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
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts.SchedulePostGroup;

/// <summary>
/// Schedules one post on each of <paramref name="SocialAccountIds"/> at the same time, in one transaction: all are
/// created or none. They share a group id; each is published, and may fail, on its own. <paramref name="Variants"/>
/// replaces the content or the first comment for some of the accounts; everything else is as for
/// <see cref="SchedulePostCommand"/>.
/// </summary>
public sealed record SchedulePostGroupCommand(
    IReadOnlyList<Guid> SocialAccountIds,
    string Content,
    string RunAt,
    string? TimeZone = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? ClientId = null,
    Guid? CompanyId = null,
    IReadOnlyList<MediaInput>? Media = null,
    PostFormat? Format = null,
    IReadOnlyList<PostVariant>? Variants = null,
    bool Draft = false,
    string? FirstComment = null) : ICommand<PostGroupDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Accounts one request may schedule on at once.</summary>
    public const int MaxAccounts = 50;

    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }

    public IReadOnlyList<PostMedia> PostMedia => MediaInput.ToMedia(MediaUrls, Media) ?? [];

    /// <summary>The content of the post on <paramref name="accountId"/>: its variant's, else the shared one.</summary>
    public string ContentFor(Guid accountId) => VariantFor(accountId)?.Content ?? Content ?? string.Empty;

    /// <summary>The first comment under the post on <paramref name="accountId"/>: its variant's, else the shared one.</summary>
    public string? FirstCommentFor(Guid accountId) => VariantFor(accountId)?.FirstComment ?? FirstComment;

    private PostVariant? VariantFor(Guid accountId) => Variants?.FirstOrDefault(v => v?.SocialAccountId == accountId);
}

/// <summary>Another content and/or first comment for the post on one account of the group (null keeps the shared one).</summary>
public sealed record PostVariant(Guid SocialAccountId, string? Content = null, string? FirstComment = null);

/// <summary>The posts of a group, one per account, in the order the accounts were given.</summary>
public sealed record PostGroupDto(Guid GroupId, IReadOnlyList<PostDto> Posts);

public sealed class SchedulePostGroupCommandValidator : AbstractValidator<SchedulePostGroupCommand>
{
    public SchedulePostGroupCommandValidator(RequestClock clock)
    {
        RuleFor(c => c.SocialAccountIds).NotEmpty()
            .Must(ids => ids.Count <= SchedulePostGroupCommand.MaxAccounts)
            .WithMessage($"socialAccountIds holds at most {SchedulePostGroupCommand.MaxAccounts} accounts.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("socialAccountIds names an account twice.")
            .Must(ids => !ids.Contains(Guid.Empty)).WithMessage("socialAccountIds holds an empty id.");
        RuleFor(c => c.ClientId).NotEqual(Guid.Empty);
        RuleFor(c => c.Content).NotEmpty().When(c => c.Format != PostFormat.Story);
        RuleFor(c => c.TimeZone).MustBeKnownTimeZone();
        RuleFor(c => c.RunAt).MustBeFutureRunAt(c => c.TimeZone, clock);
        RuleFor(c => c.MediaUrls).MustHoldFewMedia();
        RuleForEach(c => c.MediaUrls).MustBeHttpsMediaUrl();
        RuleFor(c => c.Media).MustHoldFewMedia()
            .Must((c, media) => media is null || c.MediaUrls is null).WithMessage("Give mediaUrls or media, not both.");
        RuleForEach(c => c.Media).MustBeValidMedia();
        RuleFor(c => c.Format).IsInEnum();
        RuleFor(c => c.Link).MustBeHttpUrl();
        RuleForEach(c => c.Variants).NotNull().ChildRules(variant =>
        {
            variant.RuleFor(v => v.Content).NotEmpty().When(v => v.Content is not null);
            variant.RuleFor(v => v).Must(v => v.Content is not null || v.FirstComment is not null)
                .OverridePropertyName("content").WithMessage("A variant gives content, a firstComment, or both.");
        });
        RuleForEach(c => c.Variants)
            .Must((c, v) => v is null || c.SocialAccountIds is null || c.SocialAccountIds.Contains(v.SocialAccountId))
            .WithMessage("A variant names an account that is not in socialAccountIds.");
        RuleFor(c => c.Variants)
            .Must(vs => vs is null || vs.Where(v => v is not null).GroupBy(v => v.SocialAccountId).All(g => g.Count() == 1))
            .WithMessage("variants names an account twice.");
    }
}

/// <summary>What each platform accepts, for the content that account gets; unknown accounts are left to the handler's 404.</summary>
public sealed class SchedulePostGroupPlatformValidator : AbstractValidator<SchedulePostGroupCommand>
{
    public SchedulePostGroupPlatformValidator(IApplicationDbContext db, ICurrentCompany company, MediaPreflight.MediaPreflight preflight)
    {
        RuleFor(c => c.SocialAccountIds).CustomAsync(async (ids, context, ct) =>
        {
            var command = context.InstanceToValidate;
            if (ids is null || ids.Count is 0 or > SchedulePostGroupCommand.MaxAccounts
                || (command.Media?.Any(m => m is null || !PostRules.IsAbsoluteHttps(m.Url)) ?? false))
            {
                return;
            }

            // Read once per request: the handler takes them from the change tracker.
            var accounts = await SchedulePostGroupCommandHandler.AccountsAsync(db, company, ids, ct);
            var format = command.Format ?? PostFormat.Post;
            var clean = true;
            foreach (var account in accounts)
            {
                var varied = command.Variants?.FirstOrDefault(v => v?.SocialAccountId == account.Id);
                var problems = PostRules.PlatformFailures(
                    account.Platform, format, command.ContentFor(account.Id), command.PostMedia, command.FirstCommentFor(account.Id),
                    contentField: varied?.Content is not null ? "variants" : "content",
                    commentField: varied?.FirstComment is not null ? "variants" : "firstComment",
                    prefix: $"On {EnumNames.Of(account.Platform)} account {account.Id}: ");
                problems.ForEach(context.AddFailure);
                clean &= problems.Count == 0;
            }

            // The files themselves, asked of their hosts once per platform: only for posts otherwise acceptable.
            if (!clean)
            {
                return;
            }

            var property = command.Media is not null ? "media" : "mediaUrls";
            foreach (var platform in accounts.Select(a => a.Platform).Distinct())
            {
                foreach (var failure in await preflight.CheckAsync(platform, format, command.PostMedia, property, ct))
                {
                    context.AddFailure(failure);
                }
            }
        });
    }
}

public sealed class SchedulePostGroupCommandHandler(
    IApplicationDbContext db,
    ICurrentCompany company,
    RequestClock clock,
    IOptions<DispatcherOptions> options,
    MediaPreflight.MediaPreflightReport preflight,
    Quotas.PublishingQuota quota) : ICommandHandler<SchedulePostGroupCommand, PostGroupDto>
{
    public async ValueTask<PostGroupDto> Handle(SchedulePostGroupCommand command, CancellationToken cancellationToken)
    {
        var ids = command.SocialAccountIds;
        var accounts = await AccountsAsync(db, company, ids, cancellationToken);
        if (ids.FirstOrDefault(id => accounts.All(a => a.Id != id)) is var missing && missing != Guid.Empty)
        {
            throw new NotFoundException("social account", missing);
        }

        await SocialAccounts.CompanyAccounts.EnsureClientAsync(db, company, command.ClientId, cancellationToken);

        var runAt = RunAtResolver.Resolve(command.RunAt, command.TimeZone);
        var groupId = Ids.New();
        var posts = new List<PostDto>(ids.Count);
        foreach (var account in ids.Select(id => accounts.Single(a => a.Id == id)))
        {
            var post = Post.Create(
                account,
                command.ClientId,
                command.ContentFor(account.Id),
                command.PostMedia,
                command.Link,
                runAt,
                options.Value.MaxAttempts,
                clock.UtcNow,
                command.Format ?? PostFormat.Post,
                groupId,
                command.Draft,
                firstComment: command.FirstCommentFor(account.Id));
            db.Posts.Add(post);
            List<string> warnings = [.. preflight.Warnings];
            if (SchedulePostCommandHandler.TokenExpiryWarning(account, runAt) is { } expiry)
            {
                warnings.Add(expiry);
            }

            if (!command.Draft && await quota.CheckAsync(account, runAt, null, cancellationToken) is { } overQuota)
            {
                warnings.Add(overQuota);
            }

            posts.Add(post.ToDto() with { Warnings = warnings.Count > 0 ? warnings : null });
        }

        return new PostGroupDto(groupId, posts);
    }

    /// <summary>The company's accounts among <paramref name="ids"/>: from the change tracker when all are there, else one query.</summary>
    internal static async Task<List<Domain.SocialAccounts.SocialAccount>> AccountsAsync(
        IApplicationDbContext db, ICurrentCompany company, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var local = db.SocialAccounts.Local.Where(a => ids.Contains(a.Id)).ToList();
        return local.Count == ids.Count
            ? local.Where(a => a.CompanyId == company.Id).ToList()
            : await db.SocialAccounts.Where(a => ids.Contains(a.Id) && a.CompanyId == company.Id).ToListAsync(ct);
    }
}
