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
        var original = new OriginalDesign(db);
        var drainPosts = full ? 20_000 : 5_000;
        Result? capacity = null;
        var streamSeconds = full ? 20 : 6;

        yield return new Scenario("raw", "raw claim + fenced finish SQL, 4 sessions, batches of 100, one finish per row",
            () => raw.RunAsync(full ? 40_000 : 15_000, sessions: 4, batch: 100));
        foreach (var workers in new[] { 1, 2, 4 })
        {
            yield return new Scenario($"drain-{workers}", $"{drainPosts:N0} due posts over 50 accounts, zero latency, {workers} worker process(es)",
                async () =>
                {
                    var result = await dispatch.RunAsync($"drain-{workers}", drainPosts, accounts: 50, workers, latencyMs: 0);
                    capacity ??= result;
                    return result;
                });
        }

        yield return new Scenario("raw-flush1", "the raw limit again with innodb_flush_log_at_trx_commit=1 (a flush per commit)",
            () => WithFlushPerCommitAsync(() => raw.RunAsync(full ? 40_000 : 15_000, sessions: 4, batch: 100)));
        yield return new Scenario("drain-1-flush1", $"drain-1 again with innodb_flush_log_at_trx_commit=1",
            () => WithFlushPerCommitAsync(() => dispatch.RunAsync("drain-1-flush1", drainPosts, accounts: 50, workers: 1, latencyMs: 0)));

        foreach (var share in new[] { 10, 50, 70 })
        {
            yield return new Scenario($"steady-{share}", $"a steady stream at {share} % of drain-1's rate for {streamSeconds} s, 50 accounts, zero latency",
                () =>
                {
                    var rate = Math.Max(1, (capacity?["posts/s"] ?? 500) * share / 100);
                    var posts = (int)(rate * streamSeconds);
                    return dispatch.RunAsync($"steady-{share}", posts, accounts: 50, workers: 1, latencyMs: 0, spacing: TimeSpan.FromSeconds(1 / rate));
                });
        }

        yield return new Scenario("kill", "2 worker processes, 3,000 posts over 100 accounts, 200 ms latency; one is SIGKILLed mid-drain (default 30 s lease)",
            () => KillAsync(dispatch));

        yield return new Scenario("burst-300", "300 posts due at one instant over 30 accounts, zero latency, one worker",
            () => dispatch.RunAsync("burst-300", 300, accounts: 30, workers: 1, latencyMs: 0));
        yield return new Scenario("burst-1k", "1,000 posts due at one instant over 100 accounts, 500 ms latency, one worker",
            () => dispatch.RunAsync("burst-1k", 1_000, accounts: 100, workers: 1, latencyMs: 500));
        {
            yield return new Scenario("burst-10k", "10,000 posts due at one instant over 1,000 accounts, 500 ms latency, one worker",
                () => dispatch.RunAsync("burst-10k", 10_000, accounts: 1_000, workers: 1, latencyMs: 500));
        }

        yield return new Scenario("peer-original", "original design: every tick claims 5 rows, one transaction per row (tick every 100 ms, 600× the real cadence)",
            () => original.RunAsync(full ? 1_000 : 300));

        yield return new Scenario("peer-quartz", "Quartz.NET used naively: one trigger per post in its clustered ADO.NET store on the same MariaDB, all due at one instant",
            () => new QuartzPeer(db).RunAsync(full ? 3_000 : 1_000));

        // One api node serves the three API scenarios in turn, as a running server would.
        try
        {
            yield return new Scenario("api-post-16", "POST /schedule-post under wrk, 16 connections",
                () => api.RunAsync("api-post-16", ApiLoad.Route.SchedulePost, connections: 16));
            yield return new Scenario("api-post-64", "POST /schedule-post under wrk, 64 connections",
                () => api.RunAsync("api-post-64", ApiLoad.Route.SchedulePost, connections: 64));
            yield return new Scenario("api-accounts-16", "GET /social-accounts under wrk, 16 connections",
                () => api.RunAsync("api-accounts-16", ApiLoad.Route.ListAccounts, connections: 16));
        }
        finally
        {
            api.Dispose();
        }

        yield return new Scenario("import-10k", "POST /scheduled-posts/import of 10,000 JSON rows over 50 accounts, one api node",
            () => new ImportLoad(db).RunAsync("import-10k", 10_000));
        if (full)
        {
            // Minutes of seeding each: in the full suite, or alone with --only.
            yield return new Scenario("dashboard-1m", "the dashboard's and the operator's reads with 1,000,000 posts in one company and a day of rollups",
                () => new DashboardLoad(db).RunAsync("dashboard-1m", 1_000_000));
            yield return new Scenario("calendar-50k", "GET /calendar over a month of one company holding 50,000 posts (a fifth in three-account groups), Europe/Paris",
                () => new CalendarLoad(db).RunAsync("calendar-50k", 50_000));
        }
    }

    private async Task<Result> KillAsync(Dispatch dispatch)
    {
        var killedAt = DateTimeOffset.MinValue;
        var result = await dispatch.RunAsync("kill", 3_000, accounts: 100, workers: 2, latencyMs: 200, meanwhile: async nodes =>
        {
            await Wait.UntilAsync(
                async () => await db.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'") >= 600,
                TimeSpan.FromSeconds(120), "kill: the first posts");
            nodes[0].Kill();
            killedAt = DateTimeOffset.UtcNow;
        });
        var (recovered, seconds) = await db.RecoveredAfterAsync(killedAt);
        return result with { Figures = [.. result.Figures, ("taken over", recovered, "posts"), ("published by", seconds, "s after the kill")] };
    }

    private static async Task<Result> WithFlushPerCommitAsync(Func<Task<Result>> run)
    {
        await BenchDatabase.RootSqlAsync("SET GLOBAL innodb_flush_log_at_trx_commit = 1");
        try
        {
            return await run();
        }
        finally
        {
            await BenchDatabase.RootSqlAsync("SET GLOBAL innodb_flush_log_at_trx_commit = 2");
        }
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
