using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Application.Queue.GetQueueHealth;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

/// <summary>With the default every-minute cron, posts still leave about when they are due: the one-shot wake-up.</summary>
public sealed class OnTimeTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task TwoHundredPostsDueInAFewSeconds_AreAllPublishedOnTime()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(DatabaseFixture.Settings(Database.ConnectionString, ("Dispatcher:IdlePollSeconds", "0")));
        builder.Services.AddScheduler(builder.Configuration).AddSchedulerWorker(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(Ct);
        try
        {
            var company = Guid.CreateVersion7();
            var account = await ConnectAsync(company);
            var runAt = DateTimeOffset.UtcNow.AddSeconds(15); // room to schedule 200 posts on a busy 2-core machine
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.UseCompanyAsync(company, cancellationToken: Ct);
                var sender = scope.ServiceProvider.GetRequiredService<ISender>();
                for (var i = 0; i < 200; i++)
                {
                    await sender.Send(new SchedulePostCommand(account.Id, $"post {i}", runAt.ToString("O")), Ct);
                }
            }

            Assert.True(DateTimeOffset.UtcNow < runAt, "scheduling took longer than the lead time; the test proves nothing");
            var deadline = runAt.AddSeconds(45);
            while (await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'") < 200 && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200, Ct);
            }

            var lateness = await LatenessAsync();
            Assert.Equal(200, lateness.Count);
            var (p50, p95, max) = (
                GetQueueHealthQueryHandler.Percentile(lateness, 0.50), GetQueueHealthQueryHandler.Percentile(lateness, 0.95),
                lateness[^1]);
            TestContext.Current.SendDiagnosticMessage(
                $"Publish lateness of 200 posts due at the same instant: p50 {p50:F0} ms, p95 {p95:F0} ms, max {max:F0} ms");
            Assert.True(max < 15_000, $"the last post left {max:F0} ms late; the next cron tick alone could be 60 s");
            Assert.True(lateness[0] >= 0, "no post left early");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private async Task<List<double>> LatenessAsync()
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(
            """
            SELECT TIMESTAMPDIFF(MICROSECOND, s.run_at, d.published_at) / 1000
            FROM post_details d JOIN post_schedule s ON s.post_detail_id = d.id
            WHERE d.status = 'published' ORDER BY 1
            """,
            connection);
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(Convert.ToDouble(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }
}
