namespace Scheduler.Application.Common.Tenancy;

/// <summary>
/// The scoped holder of the current company. The web host sets it from the token's <c>company_id</c> claim;
/// an in-process host sets it with <see cref="Use"/> before it sends commands.
/// </summary>
public sealed class CompanyContext : ICurrentCompany
{
    private Guid? _companyId;

    public Guid Id => _companyId
        ?? throw new InvalidOperationException(
            "No company is set for this scope. Call CompanyContext.Use(companyId) (or UseCompanyAsync) first.");

    public bool IsSet => _companyId is not null;

    public void Use(Guid companyId)
    {
        if (companyId == Guid.Empty)
        {
            throw new ArgumentException("A company id cannot be empty.", nameof(companyId));
        }

        if (_companyId is { } current && current != companyId)
        {
            throw new InvalidOperationException("This scope already belongs to another company; create a new scope.");
        }

        _companyId = companyId;
    }
}
