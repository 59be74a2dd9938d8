using Scheduler.Domain.Common;

namespace Scheduler.Domain.Companies;

/// <summary>The tenant: an agency. Provisioned on the first use of a valid token.</summary>
public sealed class Company : Entity
{
    public const int NameMaxLength = 200;

    /// <summary>For EF Core.</summary>
    private Company() : base(Guid.Empty) => Name = null!;

    private Company(Guid id, string name, DateTimeOffset createdAt) : base(id)
    {
        Name = name;
        CreatedAt = createdAt;
    }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Company Provision(Guid id, string name, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("A company needs an id.");
        }

        var trimmed = name.Trim();
        return new Company(id, trimmed.Length == 0 ? id.ToString() : trimmed[..Math.Min(trimmed.Length, NameMaxLength)], now);
    }
}
