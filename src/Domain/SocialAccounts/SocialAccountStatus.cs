using System.Text.Json.Serialization;

namespace Scheduler.Domain.SocialAccounts;

public enum SocialAccountStatus
{
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>The platform rejected the token; posts fail fast until the account is reconnected.</summary>
    [JsonStringEnumMemberName("needs_reconnect")]
    NeedsReconnect,

    [JsonStringEnumMemberName("disabled")]
    Disabled,
}
