using System.Text.Json.Serialization;

namespace Scheduler.Domain.Posts;

/// <summary>
/// The state of the queue row (<c>post_schedule.status</c>).
/// pending → processing (claimed, leased) → done | failed | pending again (retry, deferral, recovery);
/// pending → cancelled; failed → pending (manual retry); held (draft, awaiting approval) → pending | cancelled.
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

    /// <summary>The row of a draft or of a post awaiting approval: never claimed until it is released to the queue.</summary>
    [JsonStringEnumMemberName("held")]
    Held,
}
