using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Posts.GetPost;

/// <summary>One post of the company, with its attempt history.</summary>
public sealed record GetPostQuery(Guid PostId, Guid? CompanyId = null) : IQuery<PostDetailsDto>, ICompanyScoped;

public sealed class GetPostQueryValidator : AbstractValidator<GetPostQuery>
{
    public GetPostQueryValidator() => RuleFor(q => q.PostId).NotEmpty();
}

public sealed class GetPostQueryHandler(IApplicationDbContext db, ICurrentCompany company)
    : IQueryHandler<GetPostQuery, PostDetailsDto>
{
    public async ValueTask<PostDetailsDto> Handle(GetPostQuery query, CancellationToken cancellationToken)
    {
        var post = await db.Posts.AsNoTracking()
                       .Where(p => p.Id == query.PostId && p.CompanyId == company.Id)
                       .ProjectToDto()
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("post", query.PostId);
        var attempts = await db.PostAttempts.AsNoTracking()
            .Where(a => a.PostDetailId == post.Id)
            .OrderBy(a => a.StartedAt).ThenBy(a => a.Id)
            .Select(a => new AttemptDto(a.Number, a.StartedAt, a.FinishedAt, a.WorkerId, a.Outcome, a.Error, a.ExternalPostId))
            .ToListAsync(cancellationToken);
        return new PostDetailsDto(post, attempts);
    }
}
