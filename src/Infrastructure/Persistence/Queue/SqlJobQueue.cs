using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Polly;
using Polly.Retry;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence.Configurations;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// The claim path. EF cannot say <c>SKIP LOCKED</c>, so each claim opens one short READ COMMITTED transaction in which
/// SQL picks and locks the due rows through the (status, next_attempt_at, id) index, skipping rows other workers
/// hold; the posts are then read with their accounts in one query, each aggregate takes its own transition
/// (<see cref="Post.Claim"/>, <see cref="Post.TakeOver"/>), and EF saves them fenced by the status and lock token they
/// were read with. The database clock decides what is due and what has expired.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is the job queue of the design.")]
public sealed class SqlJobQueue(IServiceScopeFactory scopes, IConfiguration configuration) : IJobQueue
{
    /// <summary>How many more rows than it needs a claim may look at to find accounts it can serve.</summary>
    public const int CandidateFactor = 2;

    /// <summary>The most rows beyond what it needs a claim locks while it looks.</summary>
    public const int MaxExtraCandidates = 200;

    /// <summary>Deadlocks (1213) and lock-wait timeouts (1205) between claimers: retried a few times with jitter.</summary>
    private static readonly ResiliencePipeline LockRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<MySqlException>(IsLockConflict)
                .Handle<InvalidOperationException>(ex => ex.InnerException is MySqlException inner && IsLockConflict(inner)),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(10),
        })
        .Build();

    private static readonly string Pending = EnumNames.Of(ScheduleStatus.Pending);
    private static readonly string Processing = EnumNames.Of(ScheduleStatus.Processing);

    private readonly string _connectionString = DatabaseOptions.ConnectionString(configuration);

    /// <summary>The claim's locking read; it must be served by the (status, next_attempt_at, id) index.</summary>
    public static string ClaimSql(int busyAccounts) =>
        $"""
        SELECT post_detail_id, social_account_id, UTC_TIMESTAMP(6)
        FROM post_schedule FORCE INDEX ({PostScheduleConfiguration.ClaimIndex})
        WHERE status = '{Pending}' AND next_attempt_at <= UTC_TIMESTAMP(6){NotIn("social_account_id", "@busy", busyAccounts)}
        ORDER BY next_attempt_at, id
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    public async Task<IReadOnlyList<ClaimedJob>> ClaimDueAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        if (request.Max <= 0)
        {
            return [];
        }

        var busy = request.BusyAccounts.ToList();
        var limit = Math.Min(request.Max * CandidateFactor, request.Max + MaxExtraCandidates);
        return await LeaseAsync(
            ClaimSql(busy.Count),
            command =>
            {
                command.Parameters.AddWithValue("@limit", limit);
                for (var i = 0; i < busy.Count; i++)
                {
                    command.Parameters.AddWithValue($"@busy{i}", busy[i]);
                }
            },
            candidates => PickPerAccount(candidates, request.Max, request.PerAccount),
            (post, token, now) => post.Claim(request.WorkerId, token, request.Lease, now),
            cancellationToken);
    }

    public Task<IReadOnlyList<ClaimedJob>> TakeOverExpiredAsync(
        string workerId, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        max <= 0
            ? Task.FromResult<IReadOnlyList<ClaimedJob>>([])
            : LeaseAsync(
                $"""
                SELECT post_detail_id, social_account_id, UTC_TIMESTAMP(6)
                FROM post_schedule FORCE INDEX ({PostScheduleConfiguration.RecoveryIndex})
                WHERE status = '{Processing}' AND lease_expires_at < UTC_TIMESTAMP(6)
                ORDER BY lease_expires_at
                LIMIT @limit
                FOR UPDATE SKIP LOCKED
                """,
                command => command.Parameters.AddWithValue("@limit", max),
                candidates => candidates,
                (post, token, now) => post.TakeOver(workerId, token, lease, now),
                cancellationToken);

    public async Task<IReadOnlySet<Guid>> RenewLeasesAsync(
        IReadOnlyCollection<LeaseHold> holds, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (holds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var posts = holds.Select(h => h.PostId).ToList();
        var tokens = holds.Select(h => h.LockToken).Distinct().ToList();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand { Connection = connection };
        var fence = $"status = '{Processing}'{In("post_detail_id", "@p", posts.Count)}{In("lock_token", "@t", tokens.Count)}";
        command.CommandText =
            $"""
            UPDATE post_schedule SET lease_expires_at = UTC_TIMESTAMP(6) + INTERVAL @lease MICROSECOND WHERE {fence};
            SELECT post_detail_id, lock_token FROM post_schedule WHERE {fence};
            """;
        command.Parameters.AddWithValue("@lease", (long)(lease.TotalMilliseconds * 1000));
        for (var i = 0; i < posts.Count; i++)
        {
            command.Parameters.AddWithValue($"@p{i}", posts[i]);
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            command.Parameters.AddWithValue($"@t{i}", tokens[i]);
        }

        var held = new HashSet<LeaseHold>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(new LeaseHold(reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        return holds.Where(h => !held.Contains(h)).Select(h => h.PostId).ToHashSet();
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            $"SELECT MIN(next_attempt_at) FROM post_schedule WHERE status = '{Pending}'", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime next ? Utc(next) : null;
    }

    /// <summary>
    /// One claim transaction: lock candidate rows, keep the chosen ones, let each post's aggregate take the lease under
    /// one new lock token, save (fenced), commit. The unchosen rows are released untouched at the commit.
    /// </summary>
    private async Task<IReadOnlyList<ClaimedJob>> LeaseAsync(
        string selectForUpdate,
        Action<MySqlCommand> bind,
        Func<List<Candidate>, List<Candidate>> choose,
        Action<Post, Guid, DateTimeOffset> transition,
        CancellationToken cancellationToken)
    {
        return await LockRetry.ExecuteAsync(
            async ct =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
                var strategy = db.Database.CreateExecutionStrategy();
                return await strategy.ExecuteAsync(
                    async token =>
                    {
                        db.ChangeTracker.Clear();
                        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
                        var candidates = await CandidatesAsync(db, selectForUpdate, bind, token);
                        var chosen = choose(candidates);
                        if (chosen.Count == 0)
                        {
                            await transaction.CommitAsync(token);
                            return (IReadOnlyList<ClaimedJob>)[];
                        }

                        var now = chosen[0].Now;
                        var ids = chosen.Select(c => c.PostId).ToList();
                        var rows = await db.Posts
                            .Where(p => ids.Contains(p.Id))
                            .Join(db.SocialAccounts, p => p.SocialAccountId, a => a.Id, (p, a) => new { Post = p, Account = a })
                            .ToListAsync(token);
                        var lockToken = Guid.CreateVersion7();
                        foreach (var row in rows)
                        {
                            transition(row.Post, lockToken, now);
                        }

                        await db.SaveChangesAsync(token);
                        await transaction.CommitAsync(token);
                        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
                        return rows.OrderBy(r => order[r.Post.Id]).Select(r => ToJob(r.Post, r.Account)).ToList();
                    },
                    ct);
            },
            cancellationToken);
    }

    private static async Task<List<Candidate>> CandidatesAsync(
        SchedulerDbContext db, string sql, Action<MySqlCommand> bind, CancellationToken ct)
    {
        var connection = (MySqlConnection)db.Database.GetDbConnection();
        await using var command = new MySqlCommand(sql, connection, (MySqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction());
        bind(command);
        var candidates = new List<Candidate>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            candidates.Add(new Candidate(reader.GetGuid(0), reader.GetGuid(1), Utc(reader.GetDateTime(2))));
        }

        return candidates;
    }

    /// <summary>Oldest first, at most <paramref name="perAccount"/> rows of one account, at most <paramref name="max"/> in all.</summary>
    private static List<Candidate> PickPerAccount(List<Candidate> candidates, int max, int perAccount)
    {
        var taken = new Dictionary<Guid, int>();
        var chosen = new List<Candidate>(Math.Min(max, candidates.Count));
        foreach (var candidate in candidates)
        {
            if (chosen.Count == max)
            {
                break;
            }

            var count = taken.GetValueOrDefault(candidate.AccountId);
            if (count < perAccount)
            {
                taken[candidate.AccountId] = count + 1;
                chosen.Add(candidate);
            }
        }

        return chosen;
    }

    private static ClaimedJob ToJob(Post post, SocialAccount account)
    {
        var schedule = post.Schedule;
        return new ClaimedJob(
            post.Id,
            post.SocialAccountId,
            post.Platform,
            schedule.LockToken!.Value,
            schedule.Attempts,
            schedule.MaxAttempts,
            schedule.RunAt,
            schedule.LockedAt!.Value,
            schedule.PublishStartedAt,
            new JobContent(post.Content, post.MediaUrls, post.Link, schedule.PlatformState),
            new JobAccount(account.ExternalAccountId, account.DisplayName, account.Status, account.AccessTokenEncrypted));
    }

    private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static string NotIn(string column, string prefix, int count) =>
        count == 0 ? string.Empty : $" AND {column} NOT IN ({Parameters(prefix, count)})";

    private static string In(string column, string prefix, int count) => $" AND {column} IN ({Parameters(prefix, count)})";

    private static string Parameters(string prefix, int count)
    {
        var list = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            list.Append(i == 0 ? string.Empty : ",").Append(prefix).Append(i);
        }

        return list.ToString();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static bool IsLockConflict(MySqlException ex) =>
        ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;

    private sealed record Candidate(Guid PostId, Guid AccountId, DateTimeOffset Now);
}
