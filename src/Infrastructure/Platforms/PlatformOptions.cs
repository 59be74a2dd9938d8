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

    /// <summary>The app's id (LinkedIn: client id), for the consent flow and token checks.</summary>
    public string? AppId { get; set; }

    /// <summary>The app's secret (LinkedIn: client secret). Set, Graph calls carry <c>appsecret_proof</c>.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The permissions the consent screen asks for; empty means <see cref="DefaultScopes"/>.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>What publishing needs, nothing more.</summary>
    protected IReadOnlyList<string> DefaultScopes { get; init; } = [];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? Scopes : DefaultScopes;

    public bool HasApp => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppSecret);

    /// <summary>The settings a consent flow needs and this platform lacks.</summary>
    public IReadOnlyList<string> MissingAppSettings(string section) =>
        new[] { (nameof(AppId), AppId), (nameof(AppSecret), AppSecret) }
            .Where(s => string.IsNullOrWhiteSpace(s.Item2))
            .Select(s => $"{section}:{s.Item1}")
            .ToList();
}

/// <summary>Graph API (<c>v26.0</c>: released 2026-07-29, supported into 2028).</summary>
public sealed class FacebookOptions : PlatformOptions
{
    public const string Section = "Platforms:Facebook";

    public FacebookOptions()
    {
        BaseUrl = "https://graph.facebook.com";
        Version = "v26.0";
        DefaultScopes = ["pages_show_list", "pages_manage_posts", "pages_read_engagement", "business_management", "instagram_basic", "instagram_content_publish"];
    }

    /// <summary>Where the Login dialog is (<c>{DialogBaseUrl}/{Version}/dialog/oauth</c>).</summary>
    [Required]
    [Url]
    public string DialogBaseUrl { get; set; } = "https://www.facebook.com";

    /// <summary>Send a PKCE challenge (S256) with the Login dialog and its verifier with the code exchange.</summary>
    public bool UsePkce { get; set; } = true;
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
        DefaultScopes = ["instagram_business_basic", "instagram_business_content_publish"];
    }

    /// <summary>Instagram Login's authorization window (<c>{AuthorizeBaseUrl}/oauth/authorize</c>).</summary>
    [Required]
    [Url]
    public string AuthorizeBaseUrl { get; set; } = "https://www.instagram.com";

    /// <summary>Where Instagram Login's code is exchanged (<c>{TokenBaseUrl}/oauth/access_token</c>).</summary>
    [Required]
    [Url]
    public string TokenBaseUrl { get; set; } = "https://api.instagram.com";

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
        DefaultScopes = ["openid", "profile", "w_member_social", "w_organization_social", "r_organization_admin"];
    }

    /// <summary>LinkedIn's OAuth host: <c>/oauth/v2/authorization</c>, <c>/oauth/v2/accessToken</c>, <c>/oauth/v2/introspectToken</c>.</summary>
    [Required]
    [Url]
    public string OAuthBaseUrl { get; set; } = "https://www.linkedin.com";

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
