using FluentValidation;
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

/// <summary>Moves and/or edits a pending post. Fields left null keep their value; an empty link removes it.</summary>
public sealed record ReschedulePostCommand(
    Guid PostId,
    string? RunAt = null,
    string? TimeZone = null,
    string? Content = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? CompanyId = null) : ICommand<PostDto>;

public sealed class ReschedulePostCommandValidator : AbstractValidator<ReschedulePostCommand>
{
    public ReschedulePostCommandValidator(RequestClock clock)
    {
        RuleFor(c => c.PostId).NotEmpty();
        RuleFor(c => c)
            .Must(c => c.RunAt is not null || c.Content is not null || c.MediaUrls is not null || c.Link is not null)
            .OverridePropertyName("body")
            .WithMessage("Give at least one of runAt, content, mediaUrls or link.");
        RuleFor(c => c.TimeZone).MustBeKnownTimeZone();
        When(c => c.RunAt is not null, () => RuleFor(c => c.RunAt).MustBeFutureRunAt(c => c.TimeZone, clock));
        RuleFor(c => c.Content).NotEmpty().When(c => c.Content is not null);
        RuleFor(c => c.MediaUrls).MustHoldFewMedia();
        RuleForEach(c => c.MediaUrls).MustBeHttpsMediaUrl();
        RuleFor(c => c.Link).MustBeHttpUrl();
    }
}

public sealed class ReschedulePostCommandHandler(IApplicationDbContext db, ICurrentCompany company, RequestClock clock)
    : ICommandHandler<ReschedulePostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(ReschedulePostCommand command, CancellationToken cancellationToken)
    {
        company.EnsureIs(command.CompanyId);
        var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id))
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", command.PostId);

        var now = clock.UtcNow;
        if (command.Content is not null || command.MediaUrls is not null || command.Link is not null)
        {
            post.Edit(command.Content, command.MediaUrls, command.Link, now);
        }

        if (command.RunAt is not null)
        {
            post.Reschedule(RunAtResolver.Resolve(command.RunAt, command.TimeZone), now);
        }

        return post.ToDto();
    }
}
