using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts;

/// <summary>A connected account as the API shows it. It never carries the access token.</summary>
public sealed record SocialAccountDto
{
    public required Guid Id { get; init; }

    public required Guid CompanyId { get; init; }

    public Guid? ClientId { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>How the token was obtained (for Instagram: <c>facebook</c> or <c>instagram</c> login, which decides the API host).</summary>
    public required AccountLogin Login { get; init; }

    public required string ExternalAccountId { get; init; }

    public required string DisplayName { get; init; }

    public required SocialAccountStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
