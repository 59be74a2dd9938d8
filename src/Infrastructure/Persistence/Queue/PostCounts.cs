using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Application.Queue;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// <c>post_counts</c>: what a save changes in the number of posts per (company, platform, status) is added to one of
/// <see cref="Shards"/> rows per key, picked per save, in the save's transaction; a count is the sum of its rows. Spread
/// over rows, concurrent saves of one company (a burst of schedules, finishing workers) rarely wait for each other's
/// commit; written in key order at the end of the save, they do not deadlock on them.
/// </summary>
public sealed class PostCounts(IConfiguration configuration) : IPostCounts
{
    public const int Shards = 16;

    /// <summary>
    /// Counts every post again; in a transaction, the shared locks of its first statement keep every post as counted
    /// until the commit (a save already under way finishes first and its counts land before the delete; one that starts
    /// later waits and counts on the new rows). Answers the number of posts.
    /// </summary>
    public const string RecountSql =
        """
        SELECT COUNT(*) FROM post_details LOCK IN SHARE MODE;
        DELETE FROM post_counts;
        INSERT INTO post_counts (company_id, platform, status, shard, count)
          SELECT company_id, platform, status, 0, COUNT(*) FROM post_details GROUP BY company_id, platform, status;
        """;

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    public async Task<IReadOnlyList<PostCountRow>> ReadAsync(Guid? companyId, CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = new MySqlCommand(
            $"""
             SELECT company_id, platform, status, CAST(SUM(count) AS SIGNED) FROM post_counts
             {(companyId is null ? string.Empty : "WHERE company_id = @company")}
             GROUP BY company_id, platform, status HAVING SUM(count) <> 0
             """,
            connection);
        command.Parameters.AddWithValue("@company", companyId ?? Guid.Empty);
        var rows = new List<PostCountRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PostCountRow(
                reader.GetGuid(0), EnumNames.Parse<Platform>(reader.GetString(1)), EnumNames.Parse<PostStatus>(reader.GetString(2)),
                checked((int)reader.GetInt64(3))));
        }

        return rows;
    }

    public async Task<int> RecountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await QueueConnections.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new MySqlCommand(RecountSql, connection, transaction);
        var posts = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await transaction.CommitAsync(cancellationToken);
        return posts;
    }

    /// <summary>What the pending changes of <paramref name="tracker"/> add to or take from each count.</summary>
    internal static IReadOnlyList<CountDelta> DeltasOf(ChangeTracker tracker)
    {
        Dictionary<(Guid, Platform, PostStatus), int>? deltas = null;
        foreach (var entry in tracker.Entries<Post>())
        {
            var status = entry.Property<PostStatus>(nameof(Post.Status));
            switch (entry.State)
            {
                case EntityState.Added:
                    Add(entry.Entity, status.CurrentValue, 1);
                    break;
                case EntityState.Deleted:
                    Add(entry.Entity, status.OriginalValue, -1);
                    break;
                case EntityState.Modified when status.IsModified && status.OriginalValue != status.CurrentValue:
                    Add(entry.Entity, status.OriginalValue, -1);
                    Add(entry.Entity, status.CurrentValue, 1);
                    break;
            }
        }

        return deltas is null
            ? []
            : [.. deltas.Where(d => d.Value != 0)
                .Select(d => new CountDelta(d.Key.Item1, d.Key.Item2, d.Key.Item3, d.Value))
                .OrderBy(d => d.CompanyId).ThenBy(d => d.Platform).ThenBy(d => d.Status)];

        void Add(Post post, PostStatus postStatus, int by)
        {
            deltas ??= [];
            var key = (post.CompanyId, post.Platform, postStatus);
            deltas[key] = deltas.GetValueOrDefault(key) + by;
        }
    }

    /// <summary>Adds <paramref name="deltas"/> (in key order) to one shard, in the context's transaction.</summary>
    internal static async Task ApplyAsync(DbContext db, IReadOnlyList<CountDelta> deltas, CancellationToken cancellationToken)
    {
        var parameters = new List<MySqlParameter>(deltas.Count);
        var sql = Upsert(deltas, parameters);
        await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }

    /// <summary>
    /// Puts the upsert of <paramref name="deltas"/> in front of <paramref name="command"/> (a save's first batch), so
    /// the counts travel in the save's own round trip; it answers no result set, so the batch's readers see theirs.
    /// </summary>
    internal static void Prepend(DbCommand command, IReadOnlyList<CountDelta> deltas)
    {
        var parameters = new List<MySqlParameter>(deltas.Count);
        command.CommandText = $"{Upsert(deltas, parameters)};\n{command.CommandText}";
        command.Parameters.AddRange(parameters.ToArray());
    }

    /// <summary>One <c>INSERT … ON DUPLICATE KEY UPDATE</c> of the deltas into one shard picked at random.</summary>
    private static string Upsert(IReadOnlyList<CountDelta> deltas, List<MySqlParameter> parameters)
    {
        var shard = Random.Shared.Next(Shards);
        var sql = new StringBuilder("INSERT INTO post_counts (company_id, platform, status, shard, count) VALUES ");
        for (var i = 0; i < deltas.Count; i++)
        {
            var delta = deltas[i];
            parameters.Add(new MySqlParameter($"@post_counts_{i}", delta.CompanyId));
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ", ")}(@post_counts_{i}, '{EnumNames.Of(delta.Platform)}', '{EnumNames.Of(delta.Status)}', {shard}, {delta.By})");
        }

        sql.Append(" ON DUPLICATE KEY UPDATE count = count + VALUES(count)");
        return sql.ToString();
    }
}

internal sealed record CountDelta(Guid CompanyId, Platform Platform, PostStatus Status, int By);
