using System.Text.Json.Serialization;

namespace Scheduler.Domain.SocialAccounts;

public enum SocialAccountStatus
{
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>
    /// The token expires soon and cannot be renewed here: posts still go out until it does; reconnect before
    /// <see cref="SocialAccount.TokenExpiresAt"/>.
    /// </summary>
    [JsonStringEnumMemberName("expiring")]
    Expiring,

    /// <summary>The platform rejected the token; posts fail fast until the account is reconnected.</summary>
    [JsonStringEnumMemberName("needs_reconnect")]
    NeedsReconnect,

    [JsonStringEnumMemberName("disabled")]
    Disabled,
}
