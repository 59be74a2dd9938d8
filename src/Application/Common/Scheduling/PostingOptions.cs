using System.ComponentModel.DataAnnotations;

namespace Scheduler.Application.Common.Scheduling;

/// <summary>How many attempts a new post gets (<c>Dispatcher:MaxAttempts</c>).</summary>
public sealed class PostingOptions
{
    public const string Section = "Dispatcher";

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;
}
