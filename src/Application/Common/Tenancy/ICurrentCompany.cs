namespace Scheduler.Application.Common.Tenancy;

/// <summary>The tenant of the current operation. Every read and write of a use case is filtered by it.</summary>
public interface ICurrentCompany
{
    Guid Id { get; }

    /// <summary>Refuses a company id given by the caller (query or body) that is not the tenant's own.</summary>
    void EnsureIs(Guid? claimedCompanyId)
    {
        if (claimedCompanyId is { } claimed && claimed != Id)
        {
            throw new Exceptions.ForbiddenAccessException("The companyId given is not the company of the caller.");
        }
    }
}
