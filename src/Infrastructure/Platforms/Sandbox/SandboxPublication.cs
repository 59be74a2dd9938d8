namespace Scheduler.Infrastructure.Platforms.Sandbox;

/// <summary>
/// One call the sandbox publisher received (<c>sandbox_publications</c>): the sandbox's "platform memory", which its
/// reconciliation reads and tests count.
/// </summary>
public sealed class SandboxPublication
{
    public long Id { get; set; }

    public Guid PostId { get; set; }

    public Guid SocialAccountId { get; set; }

    public string Platform { get; set; } = string.Empty;

    public int Attempt { get; set; }

    public Guid LockToken { get; set; }

    /// <summary>published (the post is live), or the failure the sandbox answered with.</summary>
    public string Outcome { get; set; } = string.Empty;

    public string? ExternalPostId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
