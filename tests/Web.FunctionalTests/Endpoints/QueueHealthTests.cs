using System.Net;

namespace Scheduler.Web.FunctionalTests.Endpoints;

public sealed class QueueHealthTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    [Fact]
    public async Task QueueHealth_AnswersTheCompanysNumbers()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        await ScheduleAsync(client, await ConnectAsync(client));

        var health = await AssertOkAsync(await client.GetAsync("/queue/health", Ct));

        var counts = health.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("pending").GetInt32());
        Assert.Equal(0, counts.GetProperty("published").GetInt32());
        Assert.Equal(0, health.GetProperty("dueBacklog").GetInt32());
        foreach (var field in new[] { "oldestDueAgeSeconds", "publishedPerMinute", "successRate", "latenessMs", "recentFailures", "recoveredLast24Hours", "workers", "generatedAt" })
        {
            Assert.True(health.TryGetProperty(field, out _), $"health has {field}");
        }

        var other = await AssertOkAsync(await Factory.ClientFor(Guid.CreateVersion7()).GetAsync("/queue/health", Ct));
        Assert.Equal(0, other.GetProperty("counts").GetProperty("pending").GetInt32());
        await AssertProblemAsync(await Factory.CreateClient().GetAsync("/queue/health", Ct), HttpStatusCode.Unauthorized);
    }
}
