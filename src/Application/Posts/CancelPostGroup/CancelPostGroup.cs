using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Posts.SchedulePostGroup;

namespace Scheduler.Application.Posts.CancelPostGroup;

/// <summary>
/// Cancels every post of the group still waiting in the queue, in one transaction; the ones already published, being
/// published or failed are left as they are. Answers the whole group with each post's state (in no particular order).
/// </summary>
public sealed record CancelPostGroupCommand(Guid GroupId, Guid? CompanyId = null) : ICommand<PostGroupDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class CancelPostGroupCommandValidator : AbstractValidator<CancelPostGroupCommand>
{
    public CancelPostGroupCommandValidator() => RuleFor(c => c.GroupId).NotEmpty();
}

public sealed class CancelPostGroupCommandHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : ICommandHandler<CancelPostGroupCommand, PostGroupDto>
{
    public async ValueTask<PostGroupDto> Handle(CancelPostGroupCommand command, CancellationToken cancellationToken)
    {
        var posts = await db.Posts
            .Where(p => p.GroupId == command.GroupId && p.CompanyId == company.Id)
            .OrderBy(p => p.Id)
            .ToListAsync(cancellationToken);
        if (posts.Count == 0)
        {
            throw new NotFoundException("post group", command.GroupId);
        }

        var now = clock.UtcNow();
        foreach (var post in posts.Where(p => p.IsEditable))
        {
            post.Cancel(now);
        }

        return new PostGroupDto(command.GroupId, [.. posts.Select(p => p.ToDto())]);
    }
}
