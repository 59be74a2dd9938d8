namespace Scheduler.Application.Common.Tenancy;

/// <summary>
/// A message that may name its company (a <c>companyId</c> in the query or body). It must be the caller's: the
/// tenancy behaviour refuses any other with 403 before anything else looks at the message.
/// </summary>
public interface ICompanyScoped
{
    Guid? CompanyId { get; }
}
