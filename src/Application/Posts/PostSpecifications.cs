using Ardalis.Specification;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts;

/// <summary>One post of a company, tracked for a change.</summary>
public sealed class PostOfCompanySpec : SingleResultSpecification<Post>
{
    public PostOfCompanySpec(Guid postId, Guid companyId) =>
        Query.Where(p => p.Id == postId && p.CompanyId == companyId);
}
