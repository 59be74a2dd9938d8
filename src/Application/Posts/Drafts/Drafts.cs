using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Specifications;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts.Drafts;

/// <summary>What can happen to a draft: scheduled as it is, or submitted, then approved or sent back.</summary>
public enum DraftAction
{
    /// <summary>Draft → pending (in the queue at its time), without approval.</summary>
    Schedule,

    /// <summary>Draft → pending approval.</summary>
    Submit,

    /// <summary>Pending approval → pending (in the queue). Only a user with the approver role (the Web layer checks).</summary>
    Approve,

    /// <summary>Pending approval → draft, with the reason.</summary>
    Reject,
}

/// <summary>
/// Moves a draft along: <see cref="DraftAction.Schedule"/> or <see cref="DraftAction.Submit"/> a draft,
/// <see cref="DraftAction.Approve"/> or <see cref="DraftAction.Reject"/> (with <paramref name="Reason"/>) one awaiting
/// approval. A post whose time has passed must be rescheduled before it can enter the queue (409).
/// </summary>
public sealed record MoveDraftCommand(Guid PostId, DraftAction Action, string? Reason = null, Guid? CompanyId = null)
    : ICommand<PostDto>, ICompanyScoped, IIdempotentCommand
{
    public const int ReasonMaxLength = 1_000;

    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class MoveDraftCommandValidator : AbstractValidator<MoveDraftCommand>
{
    public MoveDraftCommandValidator()
    {
        RuleFor(c => c.PostId).NotEmpty();
        RuleFor(c => c.Action).IsInEnum();
        RuleFor(c => c.Reason).NotEmpty().When(c => c.Action == DraftAction.Reject)
            .WithMessage("reason must say why the post is not approved.");
        RuleFor(c => c.Reason).MaximumLength(MoveDraftCommand.ReasonMaxLength);
    }
}

public sealed class MoveDraftCommandHandler(IApplicationDbContext db, ICurrentCompany company, RequestClock clock)
    : ICommandHandler<MoveDraftCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(MoveDraftCommand command, CancellationToken cancellationToken)
    {
        var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id))
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", command.PostId);
        var now = clock.UtcNow;
        switch (command.Action)
        {
            case DraftAction.Schedule:
                post.ScheduleDraft(now);
                break;
            case DraftAction.Submit:
                post.SubmitForApproval(now);
                break;
            case DraftAction.Approve:
                post.Approve(now);
                break;
            case DraftAction.Reject:
                post.RejectApproval(command.Reason!, now);
                break;
        }

        return post.ToDto();
    }
}
