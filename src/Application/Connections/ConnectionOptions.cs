using System.ComponentModel.DataAnnotations;
using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Connections;

/// <summary>
/// <c>Connections:*</c>: where the platforms send people back (<c>{RedirectBaseUrl}/connections/callback/{platform}</c>,
/// registered with each app) and where this service may send them afterwards.
/// </summary>
public sealed class ConnectionOptions
{
    public const string Section = "Connections";

    /// <summary>This service's public base URL (<c>https://scheduler.example.com</c>); without it no flow can start.</summary>
    public string? RedirectBaseUrl { get; set; }

    /// <summary>
    /// Where a finished flow may send the person: a return URL must have one of these as its origin and path prefix
    /// (<c>https://app.example.com/settings/</c>). This service's own <c>/connect</c> page is always allowed.
    /// </summary>
    public List<string> AllowedReturnUrls { get; set; } = [];

    /// <summary>How long the person has on the consent screen before the <c>state</c> is refused.</summary>
    [Range(1, 60)]
    public int StateLifetimeMinutes { get; set; } = 10;

    /// <summary>How long the accounts found (and their tokens) are kept for someone to choose from.</summary>
    [Range(1, 1440)]
    public int CandidateLifetimeMinutes { get; set; } = 60;

    /// <summary>Unset, or an absolute http(s) URL without query or fragment.</summary>
    public bool HasValidRedirectBaseUrl =>
        string.IsNullOrWhiteSpace(RedirectBaseUrl)
        || (Uri.TryCreate(RedirectBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment));

    public string RedirectUri(AccountLogin login) =>
        $"{RedirectBaseUrl!.TrimEnd('/')}/connections/callback/{EnumNames.Of(login)}";

    /// <summary>Absolute http(s), no credentials or fragment, and under an allowed origin and path.</summary>
    public bool IsAllowedReturnUrl(string? returnUrl)
    {
        if (!Uri.TryCreate(returnUrl, UriKind.Absolute, out var url)
            || url.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(url.UserInfo)
            || !string.IsNullOrEmpty(url.Fragment))
        {
            return false;
        }

        return Allowed().Any(allowed =>
            string.Equals(allowed.GetLeftPart(UriPartial.Authority), url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            && PathIsUnder(url.AbsolutePath, allowed.AbsolutePath));
    }

    private IEnumerable<Uri> Allowed()
    {
        if (Uri.TryCreate(RedirectBaseUrl, UriKind.Absolute, out var self))
        {
            yield return new Uri(self, "/connect");
        }

        foreach (var entry in AllowedReturnUrls)
        {
            if (Uri.TryCreate(entry, UriKind.Absolute, out var allowed) && allowed.Scheme is "https" or "http")
            {
                yield return allowed;
            }
        }
    }

    private static bool PathIsUnder(string path, string prefix) =>
        prefix == "/"
        || string.Equals(path, prefix.TrimEnd('/'), StringComparison.Ordinal)
        || path.StartsWith(prefix.EndsWith('/') ? prefix : prefix + "/", StringComparison.Ordinal);
}
