using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Posts.GetPost;

public sealed record GetPostQuery(Guid PostId, Guid? CompanyId = null) : IQuery<PostDto>;

public sealed class GetPostQueryValidator : AbstractValidator<GetPostQuery>
{
    public GetPostQueryValidator() => RuleFor(q => q.PostId).NotEmpty();
}

public sealed class GetPostQueryHandler(IApplicationDbContext db, ICurrentCompany company)
    : IQueryHandler<GetPostQuery, PostDto>
{
    public async ValueTask<PostDto> Handle(GetPostQuery query, CancellationToken cancellationToken)
    {
        company.EnsureIs(query.CompanyId);
        return await db.Posts.AsNoTracking()
                   .Where(p => p.Id == query.PostId && p.CompanyId == company.Id)
                   .ProjectToDto()
                   .SingleOrDefaultAsync(cancellationToken)
               ?? throw new NotFoundException("post", query.PostId);
    }
}
