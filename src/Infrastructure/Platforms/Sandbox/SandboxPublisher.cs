using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.Platforms.Sandbox;

/// <summary>
/// A publisher that calls no network. Every call is written to <c>sandbox_publications</c> (through the
/// <see cref="SandboxLedger"/>, committed before the call answers), as a remote platform would keep it; the answer can be slowed down and made to fail by configuration. "Unknown" is the
/// nasty case: the post goes live but the answer is lost, as with a timeout after sending.
/// </summary>
public sealed class SandboxPublisher(
    Platform platform, IConfiguration configuration, IOptionsMonitor<SandboxOptions> options, TimeProvider clock, SandboxLedger ledger)
    : IPlatformPublisher
{
    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    /// <summary>The outcome of a first comment's row in <c>sandbox_publications</c>.</summary>
    public const string Comment = "comment";

    /// <summary>The outcome of a refused first comment's row.</summary>
    public const string CommentFailed = "comment_failed";

    public Platform Platform => platform;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(settings.LatencyMs), clock, cancellationToken);
        }

        var now = clock.GetUtcNow();
        PublishOutcome outcome = Draw(settings) switch
        {
            "transient" => new PublishOutcome.Transient(
                "Sandbox: injected transient failure (HTTP 503).",
                settings.RetryAfterSeconds is { } after ? TimeSpan.FromSeconds(after) : null),
            "ratelimited" => new PublishOutcome.RateLimited(
                "Sandbox: injected rate limit.", now.AddSeconds(settings.RateLimitSeconds)),
            "permanent" => new PublishOutcome.Permanent("Sandbox: injected permanent failure (invalid parameter)."),
            "authinvalid" => new PublishOutcome.AuthInvalid("Sandbox: injected invalid token (code 190)."),
            "unknown" => new PublishOutcome.Unknown("Sandbox: injected timeout after the request was sent."),
            _ => new PublishOutcome.Published($"sandbox-{EnumNames.Of(platform)}-{Guid.CreateVersion7():N}"),
        };

        // Published and Unknown both mean the platform has the post; only the answer differs.
        var externalId = outcome switch
        {
            PublishOutcome.Published published => published.ExternalPostId,
            PublishOutcome.Unknown => $"sandbox-{EnumNames.Of(platform)}-{Guid.CreateVersion7():N}",
            _ => null,
        };
        await RecordAsync(request, externalId is null ? outcome.Name : "published", externalId, now, cancellationToken);
        return outcome;
    }

    public async Task<string?> FindExistingAsync(
        PublishRequest request, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            SELECT external_post_id FROM sandbox_publications
            WHERE post_id = @post AND outcome = 'published'
            ORDER BY id LIMIT 1
            """,
            connection);
        command.Parameters.AddWithValue("@post", request.PostId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// A first comment: recorded as a <c>comment</c> row (its id in <c>external_post_id</c>), or refused as a
    /// <c>comment_failed</c> row with the probability <c>Sandbox:CommentFailureRate</c> (a permission error).
    /// </summary>
    public async Task<PublishOutcome> CommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(settings.LatencyMs), clock, cancellationToken);
        }

        if (Random.Shared.NextDouble() < settings.CommentFailureRate)
        {
            await RecordAsync(request, CommentFailed, null, clock.GetUtcNow(), cancellationToken);
            return new PublishOutcome.Permanent("Sandbox: injected comment failure (the app lacks permission to comment).");
        }

        var commentId = $"{externalPostId}_comment-{Guid.CreateVersion7():N}";
        await RecordAsync(request, Comment, commentId, clock.GetUtcNow(), cancellationToken);
        return new PublishOutcome.Published(commentId);
    }

    /// <summary>A first comment the sandbox recorded for the post.</summary>
    public async Task<string?> FindCommentAsync(
        PublishRequest request, string externalPostId, string message, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT external_post_id FROM sandbox_publications WHERE post_id = @post AND outcome = @comment ORDER BY id LIMIT 1", connection);
        command.Parameters.AddWithValue("@post", request.PostId);
        command.Parameters.AddWithValue("@comment", Comment);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static string Draw(SandboxOptions settings)
    {
        var sample = Random.Shared.NextDouble();
        foreach (var (outcome, rate) in settings.FailureRates)
        {
            if (sample < rate)
            {
                return outcome.ToLowerInvariant();
            }

            sample -= rate;
        }

        return "published";
    }

    private Task RecordAsync(PublishRequest request, string outcome, string? externalId, DateTimeOffset at, CancellationToken ct) =>
        ledger.RecordAsync(
            new SandboxPublication
            {
                PostId = request.PostId,
                SocialAccountId = request.SocialAccountId,
                Platform = EnumNames.Of(platform),
                Attempt = request.Attempt,
                LockToken = request.LockToken,
                Outcome = outcome,
                ExternalPostId = externalId,
                CreatedAt = at,
            },
            ct);
}
