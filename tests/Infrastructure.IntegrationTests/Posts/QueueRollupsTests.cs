using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Application.Queue.GetQueueCharts;
using Scheduler.Infrastructure.Persistence.Queue;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

/// <summary>
/// A minute of the queue rolled up from the attempt log: per company, and for the whole queue, read back for the charts
/// (a post that failed after two attempts in the minute is one failure).
/// </summary>
public sealed class QueueRollupsTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task AMinute_IsRolledUpPerCompanyAndForEveryone_AndReadBackForTheCharts()
    {
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var accountA = await ConnectAsync(a, externalId: "rollup-a");
        var accountB = await ConnectAsync(b, externalId: "rollup-b");
        var later = DateTimeOffset.UtcNow.AddHours(2).ToString("O");
        foreach (var content in new[] { "published 1", "published 3", "failed", "retried", "later" })
        {
            await SendAsync(a, new SchedulePostCommand(accountA.Id, content, later));
        }

        await SendAsync(b, new SchedulePostCommand(accountB.Id, "due", later));
        var now = DateTimeOffset.UtcNow;
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-1);
        var at = minute.AddSeconds(30).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        await ExecuteAsync($"""
            UPDATE post_schedule s JOIN post_details d ON d.id = s.post_detail_id
              SET s.run_at = '{at}' - INTERVAL CAST(SUBSTRING(d.content, 11) AS UNSIGNED) SECOND,
                  d.run_at = '{at}' - INTERVAL CAST(SUBSTRING(d.content, 11) AS UNSIGNED) SECOND, s.status = 'done',
                  d.status = 'published', d.published_at = '{at}'
              WHERE d.content LIKE 'published %';
            UPDATE post_schedule s JOIN post_details d ON d.id = s.post_detail_id SET s.status = 'failed', d.status = 'failed', d.updated_at = '{at}' WHERE d.content = 'failed';
            INSERT INTO post_attempts (id, post_detail_id, number, worker_id, started_at, finished_at, outcome)
              SELECT UNHEX(REPLACE(UUID(), '-', '')), d.id, 1, 'w', '{at}', '{at}',
                     CASE WHEN d.content LIKE 'published %' THEN 'published' WHEN d.content = 'failed' THEN 'permanent' ELSE 'transient' END
              FROM post_details d WHERE d.content LIKE 'published %' OR d.content IN ('failed', 'retried');
            INSERT INTO post_attempts (id, post_detail_id, number, worker_id, started_at, finished_at, outcome)
              SELECT UNHEX(REPLACE(UUID(), '-', '')), d.id, 0, 'w', '{at}', '{at}', 'transient' FROM post_details d WHERE d.content = 'failed';
            UPDATE post_schedule s JOIN post_details d ON d.id = s.post_detail_id SET s.next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE WHERE d.content = 'due';
            """);
        var rollups = Database.Services.GetRequiredService<SqlQueueRollups>();

        Assert.Equal(3, await rollups.RollUpAsync(minute, Ct)); // A, B and everyone
        Assert.Equal(3, await rollups.RollUpAsync(minute, Ct)); // again: the same rows

        var ofA = Assert.Single(await rollups.ReadAsync(a, minute, Ct));
        Assert.Equal(new QueueMinute(minute, 2, 1, 1, 0, 2, 0, 1000, 3000, 3000), ofA);
        var ofB = Assert.Single(await rollups.ReadAsync(b, minute, Ct));
        Assert.Equal((0, 1, 0), (ofB.Published, ofB.Due, ofB.PendingFuture));
        var everyone = Assert.Single(await rollups.ReadAsync(null, minute, Ct));
        Assert.Equal((2, 1, 1, 1, 2), (everyone.Published, everyone.Failed, everyone.Retried, everyone.Due, everyone.PendingFuture));
        Assert.Empty(await rollups.ReadAsync(a, minute.AddMinutes(1), Ct));

        var charts = await SendAsync(a, new GetQueueChartsQuery(ChartWindow.Hour));
        Assert.Equal(ofA, Assert.Single(charts.Minutes));
    }
}
