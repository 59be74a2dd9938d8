using System.Data;
using System.Diagnostics;
using System.Text;
using MySqlConnector;

namespace Scheduler.Bench;

/// <summary>
/// The queue's ceiling on this machine: the claim (<c>SELECT … FOR UPDATE SKIP LOCKED</c> + lease UPDATE, one READ
/// COMMITTED transaction per batch) and one lock-token-fenced finish per row, by plain SQL sessions, no application.
/// </summary>
internal sealed class RawQueue(BenchDatabase db)
{
    public async Task<Result> RunAsync(int rows, int sessions, int batch)
    {
        await db.RecreateAsync();
        await db.SeedAccountsAsync(1);
        await db.SeedPostsAsync(rows, DateTimeOffset.UtcNow.AddSeconds(-1));

        var clock = Stopwatch.StartNew();
        var done = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => SessionAsync(batch)));
        clock.Stop();
        var finished = done.Sum();
        if (finished != rows || await db.CountAsync("SELECT COUNT(*) FROM post_schedule WHERE status <> 'done'") != 0)
        {
            throw new InvalidOperationException($"raw: {finished} of {rows} rows finished");
        }

        return new Result("raw", "raw SQL limit", [("rows/s", finished / clock.Elapsed.TotalSeconds, "rows/s")]);
    }

    private async Task<int> SessionAsync(int batch)
    {
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        var finished = 0;
        while (true)
        {
            var token = Guid.CreateVersion7();
            var ids = new List<Guid>(batch);
            await using (var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted))
            {
                await using (var select = new MySqlCommand(
                    $"SELECT id FROM post_schedule FORCE INDEX ({ClaimIndex}) WHERE status = 'pending' AND {DueColumn} <= UTC_TIMESTAMP(6) ORDER BY {DueColumn}, id LIMIT @batch FOR UPDATE SKIP LOCKED",
                    connection, tx))
                {
                    select.Parameters.AddWithValue("@batch", batch);
                    await using var reader = await select.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        ids.Add(reader.GetGuid(0));
                    }
                }

                if (ids.Count == 0)
                {
                    await tx.CommitAsync();
                    return finished;
                }

                var list = new StringBuilder();
                await using var update = new MySqlCommand { Connection = connection, Transaction = tx };
                for (var i = 0; i < ids.Count; i++)
                {
                    list.Append(i == 0 ? "@i0" : $",@i{i}");
                    update.Parameters.AddWithValue($"@i{i}", ids[i]);
                }

                update.CommandText =
                    $"""
                    UPDATE post_schedule SET status = 'processing', attempts = attempts + 1, locked_at = UTC_TIMESTAMP(6),
                      lease_expires_at = UTC_TIMESTAMP(6) + INTERVAL 30 SECOND, worker_id = 'raw', lock_token = @token,
                      updated_at = UTC_TIMESTAMP(6)
                    WHERE id IN ({list})
                    """;
                update.Parameters.AddWithValue("@token", token);
                await update.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }

            foreach (var id in ids)
            {
                await using var finish = new MySqlCommand(
                    """
                    UPDATE post_schedule SET status = 'done', lease_expires_at = NULL, updated_at = UTC_TIMESTAMP(6)
                    WHERE id = @id AND status = 'processing' AND lock_token = @token
                    """,
                    connection);
                finish.Parameters.AddWithValue("@id", id);
                finish.Parameters.AddWithValue("@token", token);
                finished += await finish.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>The claim index and the column it orders by, as the current schema names them.</summary>
    private const string ClaimIndex = "ix_post_schedule_claim";

    private const string DueColumn = "next_attempt_at";
}
