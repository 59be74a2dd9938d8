using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Specifications;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Posts.CancelPost;

public sealed record CancelPostCommand(Guid PostId, Guid? CompanyId = null) : ICommand<PostDto>;

public sealed class CancelPostCommandValidator : AbstractValidator<CancelPostCommand>
{
    public CancelPostCommandValidator() => RuleFor(c => c.PostId).NotEmpty();
}

public sealed class CancelPostCommandHandler(IApplicationDbContext db, ICurrentCompany company, TimeProvider clock)
    : ICommandHandler<CancelPostCommand, PostDto>
{
    public async ValueTask<PostDto> Handle(CancelPostCommand command, CancellationToken cancellationToken)
    {
        company.EnsureIs(command.CompanyId);
        var post = await db.Posts.WithSpecification(new PostOfCompanySpec(command.PostId, company.Id))
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", command.PostId);
        post.Cancel(clock.UtcNow());
        return post.ToDto();
    }
}
