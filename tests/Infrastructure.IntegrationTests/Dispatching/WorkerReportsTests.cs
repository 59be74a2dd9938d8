using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Queue.GetQueueHealth;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

/// <summary>Workers' reports as the queue-health view reads them: alive, stale or gone, and forgotten after a day.</summary>
public sealed class WorkerReportsTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task Workers_AreAliveStaleOrGone_ByTheirLastReport_WithWhereTheyRunAndWhatTheyDo()
    {
        var registry = Database.Services.GetRequiredService<IWorkerRegistry>();
        await registry.BeatAsync(new WorkerBeat("node-a:1", "node-a", "1.4.0", DateTimeOffset.UtcNow.AddHours(-2), 37, 412.5), Ct);
        await registry.HeartbeatAsync("node-a:1", claimed: 10, published: 9, Ct);
        await registry.BeatAsync(new WorkerBeat("node-b:2", "node-b", "1.4.0", DateTimeOffset.UtcNow.AddHours(-3), 0, 0), Ct);
        await registry.BeatAsync(new WorkerBeat("node-c:3", "node-c", "1.3.9", DateTimeOffset.UtcNow.AddDays(-3), 0, 0), Ct);
        await registry.BeatAsync(new WorkerBeat("node-d:4", "node-d", "1.3.9", DateTimeOffset.UtcNow.AddDays(-3), 0, 0), Ct);
        await ExecuteAsync("UPDATE worker_heartbeats SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE WHERE worker_id = 'node-b:2'");
        await ExecuteAsync("UPDATE worker_heartbeats SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 3 HOUR WHERE worker_id = 'node-c:3'");
        await ExecuteAsync("UPDATE worker_heartbeats SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 2 DAY WHERE worker_id = 'node-d:4'");

        var health = await SendAsync(Guid.CreateVersion7(), new GetQueueHealthQuery());

        Assert.Equal(
            ["node-a:1 alive node-a 1.4.0 37 412.5 10 9", "node-b:2 stale node-b 1.4.0 0 0 0 0", "node-c:3 gone node-c 1.3.9 0 0 0 0"],
            health.Workers.Select(w => $"{w.WorkerId} {Domain.Common.EnumNames.Of(w.State)} {w.Host} {w.Version} {w.InFlight} {w.PublishedPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)} {w.Claimed} {w.Published}"));
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(["1 worker has stopped reporting."], health.Reasons);

        Assert.Equal(1, await registry.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-1), Ct));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM worker_heartbeats WHERE worker_id = 'node-d:4'"));
    }
}
