namespace Scheduler.Application.Common.Interfaces;

/// <summary>Creates the company row the first time a tenant is seen; cheap and idempotent afterwards.</summary>
public interface ICompanyProvisioner
{
    Task EnsureAsync(Guid companyId, string? name, CancellationToken cancellationToken);
}
