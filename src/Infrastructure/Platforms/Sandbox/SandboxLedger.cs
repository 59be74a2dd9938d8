using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.Platforms.Sandbox;

/// <summary>
/// The sandbox's "platform memory" (<c>sandbox_publications</c>), written the way a platform's own store would absorb a
/// burst: calls that arrive while a write is under way go together in the next multi-row INSERT. Each call still
/// returns only once its row is committed, so "published" is never answered for a post the sandbox could forget — but a
/// burst of 10,000 calls costs the shared database and CPU a few hundred statements instead of 10,000, which a real
/// platform would not charge to the node at all.
/// </summary>
public sealed class SandboxLedger(IConfiguration configuration)
{
    private const int MaxBatch = 500;

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);
    private readonly Lock _gate = new();
    private List<Entry> _queue = [];
    private bool _writing;

    /// <summary>Writes the row; returns once it is committed (with the rest of its batch).</summary>
    public Task RecordAsync(SandboxPublication row, CancellationToken cancellationToken)
    {
        var entry = new Entry(row, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_gate)
        {
            _queue.Add(entry);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            _ = Task.Run(WriteWhileQueuedAsync, CancellationToken.None);
        }

        // A caller that gives up still has its row written, as a platform keeps a post whose answer was lost.
        return entry.Written.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteWhileQueuedAsync()
    {
        while (true)
        {
            List<Entry> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _queue.Count <= MaxBatch ? _queue : _queue[..MaxBatch];
                _queue = _queue.Count <= MaxBatch ? [] : _queue[MaxBatch..];
            }

            try
            {
                await InsertAsync(batch);
                batch.ForEach(e => e.Written.TrySetResult());
            }
            catch (Exception ex)
            {
                // Each caller sees the failure as its own call's (a platform that failed to store the post).
                batch.ForEach(e => e.Written.TrySetException(ex));
            }
        }
    }

    private async Task InsertAsync(List<Entry> batch)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand { Connection = connection };
        var sql = new StringBuilder(
            "INSERT INTO sandbox_publications (post_id, social_account_id, platform, attempt, lock_token, outcome, external_post_id, created_at) VALUES ");
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch[i].Row;
            sql.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"(@p{i}, @a{i}, @f{i}, @n{i}, @t{i}, @o{i}, @e{i}, @c{i})");
            command.Parameters.AddWithValue($"@p{i}", row.PostId);
            command.Parameters.AddWithValue($"@a{i}", row.SocialAccountId);
            command.Parameters.AddWithValue($"@f{i}", row.Platform);
            command.Parameters.AddWithValue($"@n{i}", row.Attempt);
            command.Parameters.AddWithValue($"@t{i}", row.LockToken);
            command.Parameters.AddWithValue($"@o{i}", row.Outcome);
            command.Parameters.AddWithValue($"@e{i}", row.ExternalPostId);
            command.Parameters.AddWithValue($"@c{i}", row.CreatedAt.UtcDateTime);
        }

        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Entry(SandboxPublication Row, TaskCompletionSource Written);
}
