using System.Globalization;

namespace Scheduler.Bench;

/// <summary>
/// Worker processes (the Release host, worker role, sandbox publisher with the given latency) publish posts that all
/// fall due at one instant. Lateness is published − the chosen time; throughput is posts / the last post's lateness.
/// </summary>
internal sealed class Dispatch(BenchDatabase db)
{
    /// <summary>Posts each worker process drains before the measured ones (skipped with <c>--cold</c>).</summary>
    public const int WarmUpPosts = 1_500;

    /// <summary>
    /// The warm-up's posts: <see cref="WarmUpPosts"/>, or what the accounts publish in about two seconds when the
    /// platform is slow (one call in flight per account) — the node is idle then, and its JIT done well within it.
    /// </summary>
    private static int WarmUpPostsFor(int accounts, int latencyMs) =>
        latencyMs <= 0 ? WarmUpPosts : Math.Min(WarmUpPosts, Math.Max(200, accounts * 2_000 / latencyMs));

    public async Task<Result> RunAsync(
        string name, int posts, int accounts, int workers, int latencyMs, IReadOnlyDictionary<string, string>? settings = null,
        TimeSpan spacing = default, Func<IReadOnlyList<Node>, Task>? meanwhile = null)
    {
        var phases = System.Diagnostics.Stopwatch.StartNew();
        await db.RecreateAsync();
        await db.SeedAccountsAsync(accounts);
        Phase("seeded");
        // Posts are seeded in SQL, which wakes no worker: an idle worker looks every second (instead of five) so the
        // seeded posts are seen before they fall due.
        var environment = new Dictionary<string, string>
        {
            ["Sandbox__LatencyMs"] = latencyMs.ToString(CultureInfo.InvariantCulture),
            ["Dispatcher__IdlePollSeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var nodes = Enumerable.Range(0, workers).Select(_ => new Node(db.ConnectionString, "worker", environment)).ToList();
        try
        {
            nodes.ForEach(n => n.Start());
            await Wait.UntilAsync(
                async () => await db.CountAsync("SELECT COUNT(*) FROM worker_heartbeats") >= workers,
                TimeSpan.FromSeconds(90), "workers reporting");
            Phase("workers up");

            if (!Program.Cold)
            {
                // A worker that has run for a while: JIT tiering, pools and caches warm, as in production.
                await db.SeedPostsAsync(WarmUpPostsFor(accounts, latencyMs), DateTimeOffset.UtcNow.AddSeconds(-1));
                await Wait.UntilAsync(
                    async () => await db.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'pending'") == 0,
                    TimeSpan.FromSeconds(120), $"{name} warming up");
                await db.ExecuteAsync(
                    "DELETE FROM post_attempts; DELETE FROM sandbox_publications; DELETE FROM post_schedule; DELETE FROM post_details;");
                Phase("warmed up");
            }

            await db.SeedPostsAsync(posts, DateTimeOffset.UtcNow.AddYears(50));
            // Long enough for the update that sets their time to land first (≈ 0.3 s for 10,000 rows here).
            var dueAt = DateTimeOffset.UtcNow.AddSeconds(1 + (posts / 20_000.0));
            await db.ScheduleAtAsync(dueAt, spacing);

            using var trace = await Profiler.StartIfAskedAsync(name, nodes[0], dueAt);
            if (meanwhile is not null)
            {
                await meanwhile(nodes);
            }

            await Wait.UntilAsync(
                async () => await db.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'pending'") == 0,
                TimeSpan.FromSeconds(60 + (posts / 10.0) + (posts * spacing.TotalSeconds)), $"{name} draining");
            Phase("drained");
        }
        finally
        {
            nodes.ForEach(n => n.Dispose());
        }

        Phase("stopped");
        var published = await db.CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'published'");
        var calls = await db.CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE outcome = 'published'");
        var distinct = await db.CountAsync("SELECT COUNT(DISTINCT post_id) FROM sandbox_publications WHERE outcome = 'published'");
        if (published != posts || calls != posts || distinct != posts)
        {
            throw new InvalidOperationException(
                $"{name}: {published} of {posts} published, {calls} platform calls for {distinct} posts — not exactly once");
        }

        var lateness = await db.LatenessSecondsAsync();
        var last = lateness[^1];
        var span = spacing > TimeSpan.Zero ? spacing.TotalSeconds * posts : 0;
        return new Result(name, $"{posts} posts", [
            ("posts/s", posts / Math.Max(last + span, 0.001), "posts/s"),
            ("p50", Percentiles.Of(lateness, 50), "s"),
            ("p95", Percentiles.Of(lateness, 95), "s"),
            ("p99", Percentiles.Of(lateness, 99), "s"),
            ("max", last, "s"),
        ]);

        void Phase(string what)
        {
            if (Program.Verbose)
            {
                Console.Error.WriteLine($"bench:   {name}: {what} at {phases.Elapsed.TotalSeconds:0.0} s");
            }
        }
    }
}
