using Scheduler.Domain.Common;

namespace Scheduler.Domain.Clients;

/// <summary>A customer of the agency; it owns social accounts.</summary>
public sealed class Client : Entity
{
    public const int NameMaxLength = 200;

    /// <summary>For EF Core.</summary>
    private Client() : base(Guid.Empty) => Name = null!;

    private Client(Guid id, Guid companyId, string name, DateTimeOffset createdAt) : base(id)
    {
        CompanyId = companyId;
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid CompanyId { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Client Create(Guid companyId, string name, DateTimeOffset now)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("A client needs a name.");
        }

        if (trimmed.Length > NameMaxLength)
        {
            throw new DomainException($"A client name has at most {NameMaxLength} characters.");
        }

        return new Client(Ids.New(), companyId, trimmed, now);
    }
}
