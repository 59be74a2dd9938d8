using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Posts;
using Scheduler.Application.Queue.GetQueueHealth;

namespace Scheduler.Application.UnitTests.Queue;

public sealed class QueueHealthRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<PostState, int> Counts(int processing = 0) =>
        Enum.GetValues<PostState>().ToDictionary(s => s, s => s == PostState.Processing ? processing : 0);

    private static WorkerView Worker(TimeSpan silentFor) =>
        new("host:1", QueueHealthRules.StateOf(Now - silentFor, Now), Now - silentFor, "host", "1.0", Now.AddHours(-1), 0, 0, 0, 0);

    [Theory]
    [InlineData(5, WorkerState.Alive)]
    [InlineData(60, WorkerState.Alive)]
    [InlineData(61, WorkerState.Stale)]
    [InlineData(600, WorkerState.Stale)]
    [InlineData(601, WorkerState.Gone)]
    public void AWorker_IsAliveStaleOrGone_ByItsLastReport(int seconds, WorkerState state) =>
        Assert.Equal(state, QueueHealthRules.StateOf(Now.AddSeconds(-seconds), Now));

    [Fact]
    public void AnIdleQueueWithALiveWorker_IsHealthy()
    {
        var (status, reasons) = GetQueueHealthQueryHandler.Judge(Counts(), 0, null, 1.0, [Worker(TimeSpan.FromSeconds(5))], 0);

        Assert.Equal(HealthStatus.Healthy, status);
        Assert.Empty(reasons);
    }

    [Fact]
    public void DueWorkWithoutALiveWorker_IsUnhealthy_SayingSo()
    {
        var (status, reasons) = GetQueueHealthQueryHandler.Judge(Counts(), 3, TimeSpan.FromSeconds(30), null, [Worker(TimeSpan.FromMinutes(20))], 0);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Equal(["No live worker: due posts are not being published."], reasons);
    }

    [Fact]
    public void ABacklog_IsDegradedAfterTwoMinutes_AndUnhealthyAfterTen()
    {
        var alive = new[] { Worker(TimeSpan.FromSeconds(5)) };

        var degraded = GetQueueHealthQueryHandler.Judge(Counts(), 40, TimeSpan.FromMinutes(3), null, alive, 0);
        var unhealthy = GetQueueHealthQueryHandler.Judge(Counts(), 400, TimeSpan.FromMinutes(12), null, alive, 0);

        Assert.Equal((HealthStatus.Degraded, "Backlog: the oldest due post has waited 3 min (40 due)."), (degraded.Status, Assert.Single(degraded.Reasons)));
        Assert.Equal((HealthStatus.Unhealthy, "The oldest due post has waited 12 min (400 due)."), (unhealthy.Status, Assert.Single(unhealthy.Reasons)));
    }

    [Fact]
    public void Failures_StaleWorkersAndAccountsToReconnect_AreDegraded_EachWithItsReason()
    {
        var (status, reasons) = GetQueueHealthQueryHandler.Judge(
            Counts(), 0, null, 0.9, [Worker(TimeSpan.FromSeconds(5)), Worker(TimeSpan.FromMinutes(5))], 2);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal(
            ["10 % of the posts finished in the last 24 h failed.", "1 worker has stopped reporting.", "2 accounts need reconnecting."],
            reasons);
    }

    [Theory]
    [InlineData(0.8, "0.8 s")]
    [InlineData(42.4, "42 s")]
    [InlineData(185, "3 min")]
    [InlineData(7500, "2 h 5 min")]
    [InlineData(7200, "2 h")]
    [InlineData(266400, "3 d 2 h")]
    public void Durations_ReadAsPeopleSayThem(double seconds, string said) =>
        Assert.Equal(said, Durations.Human(TimeSpan.FromSeconds(seconds)));
}
