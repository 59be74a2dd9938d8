namespace Scheduler.Infrastructure.Platforms;

/// <summary><c>Publishing:Mode</c>: Sandbox (no network; Development's default) or Live (the platforms' APIs).</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    public PublishingMode Mode { get; set; } = PublishingMode.Live;
}

public enum PublishingMode
{
    Live,
    Sandbox,
}
