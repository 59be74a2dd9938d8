using System.Diagnostics;
using System.Globalization;

namespace Scheduler.Bench;

/// <summary>
/// A month of a busy agency: one company with <c>posts</c> posts spread over 30 days (one in five a three-account group),
/// and the calendar of that month in Europe/Paris, a week of it, and the month with 100 entries a day.
/// </summary>
internal sealed class CalendarLoad(BenchDatabase db)
{
    private const int Port = 5097;

    public async Task<Result> RunAsync(string name, int posts)
    {
        await db.RecreateAsync();
        await db.SeedAccountsAsync(50);
        var seeding = Stopwatch.StartNew();
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2);
        await db.SeedPostsAsync(posts, start, TimeSpan.FromDays(30) / posts);
        // Every fifth post and the two after it become one post on three accounts: same time, one group.
        await db.ExecuteAsync(
            """
            UPDATE post_details SET group_id = UNHEX(MD5(CONCAT('group ', CONV(LEFT(HEX(id), 8), 16, 10) DIV 15)))
              WHERE CONV(LEFT(HEX(id), 8), 16, 10) % 15 < 3;
            UPDATE post_details d JOIN post_details lead ON lead.group_id = d.group_id AND CONV(LEFT(HEX(lead.id), 8), 16, 10) % 15 = 0
              JOIN post_schedule s ON s.post_detail_id = d.id
              SET d.run_at = lead.run_at, s.run_at = lead.run_at, s.next_attempt_at = lead.run_at;
            ANALYZE TABLE post_details, post_schedule;
            """);
        seeding.Stop();
        Console.WriteLine($"  seeded {posts:N0} posts in {seeding.Elapsed.TotalSeconds:0} s");

        using var node = new Node(db.ConnectionString, "api", new Dictionary<string, string>(), Port);
        node.Start();
        await node.WaitLiveAsync(TimeSpan.FromSeconds(60));
        using var client = TimedReads.Client(Port, ApiLoad.Token($"\"company_id\":\"{db.CompanyId}\""));
        var first = DateOnly.FromDateTime(start.UtcDateTime);
        string Range(int days) =>
            $"from={first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={first.AddDays(days - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&timeZone=Europe/Paris";
        var figures = await TimedReads.MeasureAsync(name, [
            ("month", client, $"/calendar?{Range(30)}"),
            ("week", client, $"/calendar?{Range(7)}"),
            ("month-100-a-day", client, $"/calendar?{Range(30)}&perDay=100"),
        ]);
        return new Result(name, $"{posts:N0} posts in 30 days", figures);
    }
}
