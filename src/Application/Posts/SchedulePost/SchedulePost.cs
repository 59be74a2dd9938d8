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
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Posts.SchedulePost;

/// <summary>
/// Schedules a post on one of the company's social accounts. <paramref name="RunAt"/> is ISO-8601 with an offset,
/// or a local time with an IANA <paramref name="TimeZone"/>.
/// </summary>
public sealed record SchedulePostCommand(
    Guid SocialAccountId,
    string Content,
    string RunAt,
    string? TimeZone = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? ClientId = null,
    Guid? CompanyId = null) : ICommand<PostDto>;

public sealed class SchedulePostCommandValidator : AbstractValidator<SchedulePostCommand>
{
    public SchedulePostCommandValidator(RequestClock clock)
    {
        RuleFor(c => c.SocialAccountId).NotEmpty();
        RuleFor(c => c.ClientId).NotEqual(Guid.Empty);
        RuleFor(c => c.Content).NotEmpty();
        RuleFor(c => c.TimeZone).MustBeKnownTimeZone();
        RuleFor(c => c.RunAt).MustBeFutureRunAt(c => c.TimeZone, clock);
        RuleFor(c => c.MediaUrls).MustHoldFewMedia();
        RuleForEach(c => c.MediaUrls).MustBeHttpsMediaUrl();
        RuleFor(c => c.Link).MustBeHttpUrl();
    }
}

/// <summary>What the platform accepts depends on the account; an unknown account is left to the handler's 404.</summary>
public sealed class SchedulePostPlatformValidator : AbstractValidator<SchedulePostCommand>
{
    public SchedulePostPlatformValidator(IApplicationDbContext db, ICurrentCompany company)
    {
        RuleFor(c => c.Content).CustomAsync(async (content, context, ct) =>
        {
            var command = context.InstanceToValidate;
            if (command.SocialAccountId == Guid.Empty || string.IsNullOrEmpty(content))
            {
                return;
            }

            // Found once per request: the handler's FindAsync is answered from the change tracker.
            var account = await db.SocialAccounts.FindAsync([command.SocialAccountId], ct);
            if (account is null || account.CompanyId != company.Id)
            {
                return;
            }

            foreach (var problem in PostContentRules.Check(account.Platform, content, command.MediaUrls ?? []))
            {
                context.AddFailure(problem);
            }
        });
    }
}

public sealed class SchedulePostCommandHandler(
    IApplicationDbContext db,
    ICurrentCompany company,
    RequestClock clock,
    IOptions<DispatcherOptions> options) : ICommandHandler<SchedulePostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(SchedulePostCommand command, CancellationToken cancellationToken)
    {
        company.EnsureIs(command.CompanyId);
        var account = await db.SocialAccounts.FindAsync([command.SocialAccountId], cancellationToken);
        if (account is null || account.CompanyId != company.Id)
        {
            throw new NotFoundException("social account", command.SocialAccountId);
        }

        if (command.ClientId is { } clientId
            && !await db.Clients.AnyAsync(c => c.Id == clientId && c.CompanyId == company.Id, cancellationToken))
        {
            throw new NotFoundException("client", clientId);
        }

        var post = Post.Create(
            account,
            command.ClientId,
            command.Content,
            command.MediaUrls,
            command.Link,
            RunAtResolver.Resolve(command.RunAt, command.TimeZone),
            options.Value.MaxAttempts,
            clock.UtcNow);
        db.Posts.Add(post);
        return post.ToDto();
    }
}
