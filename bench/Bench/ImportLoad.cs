using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Scheduler.Bench;

/// <summary>
/// <c>POST /scheduled-posts/import</c> with <c>rows</c> rows over 50 accounts, three times, against one api node; the
/// statements the server ran per import (MariaDB's <c>Questions</c>) show it is written in batches, not row by row.
/// </summary>
internal sealed class ImportLoad(BenchDatabase db)
{
    private const int Port = 5096;
    private const int Runs = 3;

    public async Task<Result> RunAsync(string name, int rows)
    {
        await db.RecreateAsync();
        await db.SeedAccountsAsync(50);
        using var node = new Node(db.ConnectionString, "api", new Dictionary<string, string>(), Port);
        node.Start();
        await node.WaitLiveAsync(TimeSpan.FromSeconds(60));
        using var client = TimedReads.Client(Port, ApiLoad.Token($"\"company_id\":\"{db.CompanyId}\""));
        var start = DateTimeOffset.UtcNow.AddDays(1);
        var body = Enumerable.Range(0, rows).Select(i => new
        {
            socialAccountId = db.Accounts[i % db.Accounts.Count],
            content = $"Imported post {i} with a line of text as long as a usual post, give or take a few words.",
            runAt = start.AddMinutes(i).ToString("O", CultureInfo.InvariantCulture),
        }).ToList();

        var times = new List<double>();
        var statements = new List<long>();
        for (var run = 0; run < Runs; run++)
        {
            var before = await QuestionsAsync();
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync("/scheduled-posts/import", body);
            await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{name}: the import answered {(int)response.StatusCode}");
            }

            statements.Add(await QuestionsAsync() - before - 1);
            times.Add(watch.Elapsed.TotalSeconds);
            Console.WriteLine($"  run {run + 1}: {rows:N0} rows in {watch.Elapsed.TotalSeconds:0.00} s, {statements[^1]:N0} statements");
        }

        var imported = await db.CountAsync("SELECT COUNT(*) FROM post_details");
        if (imported != (long)rows * Runs)
        {
            throw new InvalidOperationException($"{name}: {imported} posts after {Runs} imports of {rows}");
        }

        times.Sort();
        return new Result(name, $"{rows:N0} rows", [
            ("median", times[Runs / 2], "s"),
            ("rows/s", rows / times[Runs / 2], "rows/s"),
            ("statements", statements.Order().ElementAt(Runs / 2), "statements"),
        ]);
    }

    private async Task<long> QuestionsAsync() =>
        Convert.ToInt64(await db.ScalarAsync("SELECT variable_value FROM information_schema.global_status WHERE variable_name = 'QUESTIONS'"), CultureInfo.InvariantCulture);
}
