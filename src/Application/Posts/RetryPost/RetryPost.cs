using Scheduler.Application.Common.Idempotency;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Specifications;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Domain.Common;

namespace Scheduler.Application.Posts.RetryPost;

/// <summary>Puts a failed post back in the queue, due now, with a fresh set of attempts.</summary>
public sealed record RetryPostCommand(Guid PostId, Guid? CompanyId = null) : ICommand<PostDto>, ICompanyScoped, IIdempotentCommand
{
    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

public sealed class RetryPostCommandValidator : AbstractValidator<RetryPostCommand>
{
    public RetryPostCommandValidator() => RuleFor(c => c.PostId).NotEmpty();
}

public sealed class RetryPostCommandHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : ICommandHandler<RetryPostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(RetryPostCommand command, CancellationToken cancellationToken)
    {
        var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id))
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", command.PostId);

        var account = await db.SocialAccounts.AsNoTracking()
            .SingleAsync(a => a.Id == post.SocialAccountId, cancellationToken);
        if (!account.IsActive)
        {
            throw new DomainException(
                $"Social account {account.Id} needs to be reconnected before its posts can be retried.");
        }

        post.Retry(clock.UtcNow());
        return post.ToDto();
    }
}
