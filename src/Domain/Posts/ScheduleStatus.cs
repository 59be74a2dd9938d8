using System.Text.Json.Serialization;

namespace Scheduler.Domain.Posts;

/// <summary>
/// The state of the queue row (<c>post_schedule.status</c>).
/// pending → processing (claimed, leased) → done | failed | pending again (retry, deferral, recovery);
/// pending → cancelled; failed → pending (manual retry).
/// </summary>
public enum ScheduleStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("processing")]
    Processing,

    [JsonStringEnumMemberName("done")]
    Done,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
