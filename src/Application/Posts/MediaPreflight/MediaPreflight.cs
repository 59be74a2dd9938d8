using System.ComponentModel.DataAnnotations;
using FluentValidation.Results;
using Microsoft.Extensions.Options;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Posts.MediaPreflight;

/// <summary>Asks a media file's host what the file is: one bounded request, never the whole file.</summary>
public interface IMediaProbe
{
    Task<MediaProbeResult> ProbeAsync(string url, CancellationToken cancellationToken);
}

/// <summary>
/// What the host said (<see cref="Facts"/>), or why it could not be asked now (<see cref="Unreachable"/>: a warning),
/// or why the URL can never be used (<see cref="Refused"/>: the post is refused).
/// </summary>
public sealed record MediaProbeResult(MediaFacts? Facts, string? Unreachable = null, string? Refused = null);

/// <summary><c>MediaPreflight:*</c>: whether media are checked when a post is scheduled, and how long a check may take.</summary>
public sealed class MediaPreflightOptions
{
    public const string Section = "MediaPreflight";

    public bool Enabled { get; set; } = true;

    /// <summary>How long one file's host has to answer; a host that does not is a warning, not a refusal.</summary>
    [Range(0.1, 60)]
    public double TimeoutSeconds { get; set; } = 3;
}

/// <summary>What the preflight of this request could not check (unreachable hosts); returned with the post.</summary>
public sealed class MediaPreflightReport
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public void Warn(string warning)
    {
        lock (_warnings)
        {
            _warnings.Add(warning);
        }
    }
}

/// <summary>
/// Checks each media file of a post against its platform's rules before the post is accepted: a file that breaks one
/// is a 400 naming the media and the rule; a file that cannot be reached now is a warning (it may be uploaded later).
/// </summary>
public sealed class MediaPreflight(IMediaProbe probe, MediaPreflightReport report, IOptions<MediaPreflightOptions> options)
{
    public async Task<IReadOnlyList<ValidationFailure>> CheckAsync(
        Platform platform, PostFormat format, IReadOnlyList<PostMedia> media, string property, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || media.Count == 0)
        {
            return [];
        }

        var probes = await Task.WhenAll(media.Select(m => probe.ProbeAsync(m.Url, cancellationToken)));
        var failures = new List<ValidationFailure>();
        for (var i = 0; i < media.Count; i++)
        {
            var probe = probes[i];
            if (probe.Refused is { } refused)
            {
                failures.Add(new ValidationFailure($"{property}[{i}]", $"{media[i].Url}: {refused}."));
                continue;
            }

            if (probe.Facts is not { } facts)
            {
                report.Warn($"{property}[{i}] ({media[i].Url}) could not be checked now: {probe.Unreachable}. It must be reachable when the post is published.");
                continue;
            }

            foreach (var broken in MediaRules.Check(platform, format, media[i], facts))
            {
                failures.Add(new ValidationFailure($"{property}[{i}]", $"{media[i].Url}: {broken}."));
            }
        }

        return failures;
    }
}
