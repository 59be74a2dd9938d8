using System.ComponentModel.DataAnnotations;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>
/// Where and how a platform is called (<c>Platforms:Facebook|Instagram|LinkedIn:*</c>): base URL and API version are
/// configuration, so tests point them at a local fake and operators move versions without a release.
/// </summary>
public class PlatformOptions
{
    [Required]
    [Url]
    public string BaseUrl { get; set; } = string.Empty;

    [Required]
    public string Version { get; set; } = string.Empty;

    /// <summary>One HTTP attempt's timeout. A publish call that times out is reconciled, never retried blindly.</summary>
    [Range(1, 600)]
    public int AttemptTimeoutSeconds { get; set; } = 30;
}

/// <summary>Graph API (<c>v26.0</c>: released 2026-07-29, supported into 2028).</summary>
public sealed class FacebookOptions : PlatformOptions
{
    public const string Section = "Platforms:Facebook";

    public FacebookOptions()
    {
        BaseUrl = "https://graph.facebook.com";
        Version = "v26.0";
    }
}

/// <summary>
/// Instagram content publishing through the Graph API (Facebook Login host; <c>graph.instagram.com</c> for Instagram
/// Login tokens). Container status is polled about once a minute for at most five minutes, as Meta suggests.
/// </summary>
public sealed class InstagramOptions : PlatformOptions
{
    public const string Section = "Platforms:Instagram";

    public InstagramOptions()
    {
        BaseUrl = "https://graph.facebook.com";
        Version = "v26.0";
    }

    /// <summary>The host of accounts connected through Instagram Login (the same paths as on the Facebook Login host).</summary>
    [Required]
    [Url]
    public string InstagramLoginBaseUrl { get; set; } = "https://graph.instagram.com";

    [Range(0, 600)]
    public double StatusPollSeconds { get; set; } = 60;

    [Range(0, 3_600)]
    public double StatusPollMaxSeconds { get; set; } = 300;
}

/// <summary>LinkedIn's versioned REST API (<c>LinkedIn-Version: 202606</c>, the newest confirmed; versions live ≥ 12 months).</summary>
public sealed class LinkedInOptions : PlatformOptions
{
    public const string Section = "Platforms:LinkedIn";

    public LinkedInOptions()
    {
        BaseUrl = "https://api.linkedin.com";
        Version = "202606";
    }

    /// <summary>How often an uploaded image, video or document is asked whether it is AVAILABLE yet.</summary>
    [Range(0, 600)]
    public double StatusPollSeconds { get; set; } = 5;

    /// <summary>How long one attempt waits for it; after that the post is deferred without spending an attempt.</summary>
    [Range(0, 3_600)]
    public double StatusPollMaxSeconds { get; set; } = 120;

    /// <summary>The largest video or document fetched for upload (LinkedIn takes videos up to 500 MB, documents up to 100 MB).</summary>
    [Range(1, 5_000)]
    public int MaxUploadMegabytes { get; set; } = 500;
}
