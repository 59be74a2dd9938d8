using System.Text.Json.Serialization;

namespace Scheduler.Domain.SocialAccounts;

/// <summary>The networks Scheduler publishes to. Stored and serialised as lower-case names.</summary>
public enum Platform
{
    [JsonStringEnumMemberName("facebook")]
    Facebook,

    [JsonStringEnumMemberName("instagram")]
    Instagram,

    [JsonStringEnumMemberName("linkedin")]
    LinkedIn,
}
