using System.Data;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Polly;
using Polly.Retry;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence.Configurations;
using Scheduler.Infrastructure.Persistence.Conventions;

namespace Scheduler.Infrastructure.Persistence.Queue;

/// <summary>
/// The claim path, in SQL because EF cannot say <c>SKIP LOCKED</c> and because a lease is taken on many rows at
/// once. Each claim is one short READ COMMITTED transaction of four round trips: begin; lock due rows through the
/// claim index, skipping rows other workers hold; lease the chosen ones under one new lock token and read back everything
/// their publishes need (one batch); commit. The database clock decides what is due and what has expired. This class
/// is the one place that takes leases; every transition after it is the <see cref="Post"/> aggregate's, fenced by the
/// lock token (see docs/decisions/0009-streaming-dispatcher.md).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is the job queue of the design.")]
public sealed class SqlJobQueue(IConfiguration configuration) : IJobQueue
{
    /// <summary>How many more rows than it needs a claim may look at to find accounts it can serve.</summary>
    public const int CandidateFactor = 2;

    /// <summary>The most rows beyond what it needs a claim locks while it looks.</summary>
    public const int MaxExtraCandidates = 200;

    /// <summary>
    /// Deadlocks (1213) and lock-wait timeouts (1205) between claimers, and a pooled connection found dead after a
    /// database restart (the pool's other connections are dropped with it): retried a few times with jitter.
    /// </summary>
    private static readonly ResiliencePipeline LockRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<MySqlException>(IsLockConflict)
                .Handle<InvalidOperationException>(ex => ex.InnerException is MySqlException inner && IsLockConflict(inner))
                .Handle<Exception>(DatabaseFailures.IsConnectionLost),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is { } lost && DatabaseFailures.IsConnectionLost(lost))
                {
                    DatabaseFailures.ForgetPooledConnections();
                }

                return default;
            },
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(10),
        })
        .Build();

    private static readonly LowerNameEnumConverter<Platform> Platforms = new();
    private static readonly LowerNameEnumConverter<SocialAccountStatus> AccountStatuses = new();
    private static readonly LowerNameEnumConverter<PostFormat> Formats = new();
    private static readonly LowerNameEnumConverter<AccountLogin> Logins = new();
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
            startsAttempt: true,
            Pending,
            request.Lease,
            request.WorkerId,
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
                startsAttempt: false,
                Processing,
                lease,
                workerId,
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
    /// One claim transaction: lock candidate rows, lease the chosen ones under one new lock token and read them back
    /// with their posts and accounts, commit. The unchosen rows are released untouched at the commit.
    /// </summary>
    private async Task<IReadOnlyList<ClaimedJob>> LeaseAsync(
        string selectForUpdate,
        Action<MySqlCommand> bind,
        Func<List<Candidate>, List<Candidate>> choose,
        bool startsAttempt,
        string leaseFrom,
        TimeSpan lease,
        string workerId,
        CancellationToken cancellationToken)
    {
        return await LockRetry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                var candidates = await CandidatesAsync(connection, transaction, selectForUpdate, bind, ct);
                var chosen = choose(candidates);
                if (chosen.Count == 0)
                {
                    await transaction.CommitAsync(ct);
                    return (IReadOnlyList<ClaimedJob>)[];
                }

                var token = Guid.CreateVersion7();
                await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
                command.CommandText =
                    $"""
                    UPDATE post_schedule
                    SET status = '{Processing}', {(startsAttempt ? "attempts = attempts + 1, publish_started_at = @now," : string.Empty)}
                        locked_at = @now, lease_expires_at = @now + INTERVAL @lease MICROSECOND,
                        worker_id = @worker, lock_token = @token, updated_at = @now
                    WHERE status = '{leaseFrom}'{In("post_detail_id", "@c", chosen.Count)};
                    SELECT s.post_detail_id, s.social_account_id, d.platform, s.lock_token, s.attempts, s.max_attempts,
                           s.run_at, s.locked_at, s.publish_started_at, d.content, d.media, d.link, s.platform_state, d.format,
                           a.external_account_id, a.display_name, a.status, a.access_token_encrypted, a.login, d.first_comment
                    FROM post_schedule s
                    JOIN post_details d ON d.id = s.post_detail_id
                    JOIN social_accounts a ON a.id = s.social_account_id
                    WHERE s.status = '{Processing}' AND s.lock_token = @token{In("s.post_detail_id", "@c", chosen.Count)}
                    ORDER BY s.next_attempt_at, s.id;
                    """;
                for (var i = 0; i < chosen.Count; i++)
                {
                    command.Parameters.AddWithValue($"@c{i}", chosen[i].PostId);
                }

                command.Parameters.AddWithValue("@now", chosen[0].Now.UtcDateTime);
                command.Parameters.AddWithValue("@lease", (long)(lease.TotalMilliseconds * 1000));
                command.Parameters.AddWithValue("@worker", workerId);
                command.Parameters.AddWithValue("@token", token);
                var jobs = new List<ClaimedJob>(chosen.Count);
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        jobs.Add(ReadJob(reader));
                    }
                }

                await transaction.CommitAsync(ct);
                return jobs;
            },
            cancellationToken);
    }

    private static ClaimedJob ReadJob(MySqlDataReader reader) =>
        new(
            reader.GetGuid(0),
            reader.GetGuid(1),
            (Platform)Platforms.ConvertFromProvider(reader.GetString(2))!,
            reader.GetGuid(3),
            reader.GetInt32(4),
            reader.GetInt32(5),
            Utc(reader.GetDateTime(6)),
            Utc(reader.GetDateTime(7)),
            reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
            new JobContent(
                reader.GetString(9),
                MediaJson.Deserialize(reader.GetString(10)),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                (PostFormat)Formats.ConvertFromProvider(reader.GetString(13))!,
                reader.IsDBNull(19) ? null : reader.GetString(19)),
            new JobAccount(
                reader.GetString(14),
                reader.GetString(15),
                (SocialAccountStatus)AccountStatuses.ConvertFromProvider(reader.GetString(16))!,
                reader.GetString(17),
                (AccountLogin)Logins.ConvertFromProvider(reader.GetString(18))!));

    private static async Task<List<Candidate>> CandidatesAsync(
        MySqlConnection connection, MySqlTransaction transaction, string sql, Action<MySqlCommand> bind, CancellationToken ct)
    {
        await using var command = new MySqlCommand(sql, connection, transaction);
        bind(command);
        var candidates = new List<Candidate>();
        await using var reader = await command.ExecuteReaderAsync(ct);
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

    private Task<MySqlConnection> OpenAsync(CancellationToken ct) => QueueConnections.OpenAsync(_connectionString, ct);

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

    private static DateTimeOffset Utc(DateTime value) => QueueConnections.Utc(value);

    private static bool IsLockConflict(MySqlException ex) =>
        ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;

    private sealed record Candidate(Guid PostId, Guid AccountId, DateTimeOffset Now);
}
