using System.Diagnostics;

namespace Scheduler.Bench;

/// <summary>The scenarios, in the order they run. Quick keeps the sizes that finish in a few minutes.</summary>
internal sealed class Suite(BenchDatabase db, bool full)
{
    public IEnumerable<Scenario> Scenarios()
    {
        var raw = new RawQueue(db);
        var dispatch = new Dispatch(db);
        var api = new ApiLoad(db);
        var drainPosts = full ? 20_000 : 10_000;

        yield return new Scenario("raw", "raw claim + fenced finish SQL, 4 sessions, batches of 100, one finish per row",
            () => raw.RunAsync(full ? 40_000 : 20_000, sessions: 4, batch: 100));
        foreach (var workers in new[] { 1, 2, 4 })
        {
            yield return new Scenario($"drain-{workers}", $"{drainPosts:N0} due posts over 50 accounts, zero latency, {workers} worker process(es)",
                () => dispatch.RunAsync($"drain-{workers}", drainPosts, accounts: 50, workers, latencyMs: 0));
        }

        yield return new Scenario("burst-300", "300 posts due at one instant over 30 accounts, zero latency, one worker",
            () => dispatch.RunAsync("burst-300", 300, accounts: 30, workers: 1, latencyMs: 0));
        yield return new Scenario("burst-1k", "1,000 posts due at one instant over 100 accounts, 500 ms latency, one worker",
            () => dispatch.RunAsync("burst-1k", 1_000, accounts: 100, workers: 1, latencyMs: 500));
        if (full)
        {
            yield return new Scenario("burst-10k", "10,000 posts due at one instant over 1,000 accounts, 500 ms latency, one worker",
                () => dispatch.RunAsync("burst-10k", 10_000, accounts: 1_000, workers: 1, latencyMs: 500));
        }

        yield return new Scenario("api-post-16", "POST /schedule-post under wrk, 16 connections",
            () => api.RunAsync("api-post-16", ApiLoad.Route.SchedulePost, connections: 16));
        yield return new Scenario("api-post-64", "POST /schedule-post under wrk, 64 connections",
            () => api.RunAsync("api-post-64", ApiLoad.Route.SchedulePost, connections: 64));
        yield return new Scenario("api-accounts-16", "GET /social-accounts under wrk, 16 connections",
            () => api.RunAsync("api-accounts-16", ApiLoad.Route.ListAccounts, connections: 16));
    }
}

internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not done within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100);
        }
    }
}
