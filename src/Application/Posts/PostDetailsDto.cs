using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Scheduler.Application.Posts;

/// <summary>One post with the log of its publishing attempts, oldest first.</summary>
public sealed record PostDetailsDto : PostDto
{
    [SetsRequiredMembers]
    public PostDetailsDto(PostDto post, IReadOnlyList<AttemptDto> attemptHistory) : base(post) =>
        AttemptHistory = attemptHistory;

    [JsonPropertyOrder(1)]
    public IReadOnlyList<AttemptDto> AttemptHistory { get; init; }
}

/// <summary>One attempt: when, by which worker, how it ended.</summary>
public sealed record AttemptDto(
    int Number,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string WorkerId,
    string Outcome,
    string? Error,
    string? ExternalPostId);
