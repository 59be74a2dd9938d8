using System.Text.Json.Serialization;

namespace Scheduler.Domain.SocialAccounts;

/// <summary>
/// How an account's token was obtained, which decides where its API calls go: an Instagram professional account
/// connected through Instagram Login is called on <c>graph.instagram.com</c>, one connected through Facebook Login (a
/// Page's linked account) on <c>graph.facebook.com</c>.
/// </summary>
public enum AccountLogin
{
    [JsonStringEnumMemberName("facebook")]
    Facebook,

    [JsonStringEnumMemberName("instagram")]
    Instagram,

    [JsonStringEnumMemberName("linkedin")]
    LinkedIn,
}

public static class AccountLogins
{
    /// <summary>The login a platform's accounts use unless told otherwise.</summary>
    public static AccountLogin DefaultFor(Platform platform) =>
        platform == Platform.LinkedIn ? AccountLogin.LinkedIn : AccountLogin.Facebook;

    /// <summary>Facebook Login serves Pages and their Instagram accounts; Instagram Login only Instagram; LinkedIn only LinkedIn.</summary>
    public static bool Serves(this AccountLogin login, Platform platform) => (login, platform) switch
    {
        (AccountLogin.Facebook, Platform.Facebook or Platform.Instagram) => true,
        (AccountLogin.Instagram, Platform.Instagram) => true,
        (AccountLogin.LinkedIn, Platform.LinkedIn) => true,
        _ => false,
    };
}
