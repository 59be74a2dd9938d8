using System.Data;
using System.Diagnostics;
using MySqlConnector;

namespace Scheduler.Bench;

/// <summary>
/// The peer the design replaced: a job every minute claims five due rows and publishes them one transaction per row
/// (claim, publish, finish inside one transaction). Run here with its tick accelerated 600 times (every 100 ms), on
/// the same tables and the same sandbox record of a publish; at its real cadence it moves five posts a minute.
/// </summary>
internal sealed class OriginalDesign(BenchDatabase db)
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    public const int PerTick = 5;

    public async Task<Result> RunAsync(int posts)
    {
        await db.RecreateAsync();
        await db.SeedAccountsAsync(1);
        await db.SeedPostsAsync(posts, DateTimeOffset.UtcNow.AddSeconds(-1));
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();

        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Tick);
        var done = 0;
        while (done < posts && await timer.WaitForNextTickAsync())
        {
            for (var i = 0; i < PerTick && done < posts; i++)
            {
                if (!await PublishOneAsync(connection))
                {
                    break;
                }

                done++;
            }
        }

        clock.Stop();
        return new Result("peer-original", "original design", [
            ("posts/s", done / clock.Elapsed.TotalSeconds, "posts/s"),
            ("at its real cadence", PerTick, "posts/min"),
        ]);
    }

    private static async Task<bool> PublishOneAsync(MySqlConnection connection)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        Guid? schedule = null;
        Guid post = default;
        await using (var select = new MySqlCommand(
            """
            SELECT s.id, s.post_detail_id FROM post_schedule s
            WHERE s.status = 'pending' AND s.next_attempt_at <= UTC_TIMESTAMP(6)
            ORDER BY s.next_attempt_at, s.id LIMIT 1 FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync())
            {
                schedule = reader.GetGuid(0);
                post = reader.GetGuid(1);
            }
        }

        if (schedule is null)
        {
            await transaction.CommitAsync();
            return false;
        }

        await using var work = new MySqlCommand(
            """
            UPDATE post_schedule SET status = 'processing', attempts = attempts + 1, locked_at = UTC_TIMESTAMP(6) WHERE id = @schedule;
            INSERT INTO sandbox_publications (post_id, social_account_id, platform, attempt, lock_token, outcome, external_post_id, created_at)
              SELECT d.id, d.social_account_id, 'facebook', 1, @schedule, 'published', CONCAT('peer-', HEX(d.id)), UTC_TIMESTAMP(6)
              FROM post_details d WHERE d.id = @post;
            UPDATE post_details SET status = 'published', external_post_id = CONCAT('peer-', HEX(id)), published_at = UTC_TIMESTAMP(6),
              updated_at = UTC_TIMESTAMP(6) WHERE id = @post;
            UPDATE post_schedule SET status = 'done', updated_at = UTC_TIMESTAMP(6) WHERE id = @schedule;
            """, connection, transaction);
        work.Parameters.AddWithValue("@schedule", schedule.Value);
        work.Parameters.AddWithValue("@post", post);
        await work.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return true;
    }
}
