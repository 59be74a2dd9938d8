namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

/// <summary>Bulk rows for queue tests, written in SQL (thousands of posts in one statement).</summary>
internal static class QueueSeed
{
    /// <summary>Inserts <paramref name="count"/> posts with their queue rows, due <paramref name="dueInSeconds"/> from now (negative: overdue).</summary>
    public static string Posts(Guid companyId, Guid accountId, int count, double dueInSeconds, string status = "pending", string tag = "seed") =>
        $"""
        SET STATEMENT max_recursive_iterations = {count + 1} FOR
        INSERT INTO post_details (id, company_id, client_id, social_account_id, platform, content, media, link, status, run_at, created_at, updated_at)
        WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count})
        SELECT UNHEX(REPLACE(UUID(), '-', '')), {Hex(companyId)}, NULL, {Hex(accountId)}, 'facebook', CONCAT('{tag} ', n), '[]', NULL,
               '{(status is "pending" or "processing" ? "pending" : status)}', UTC_TIMESTAMP(6) + INTERVAL {(long)(dueInSeconds * 1_000_000)} MICROSECOND,
               UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
        FROM seq;
        INSERT INTO post_schedule (id, post_detail_id, social_account_id, run_at, next_attempt_at, status, attempts, max_attempts,
                                   recoveries, created_at, updated_at)
        SELECT UNHEX(REPLACE(UUID(), '-', '')), d.id, d.social_account_id, d.run_at, d.run_at,
               '{(status == "published" ? "done" : status)}', 0, 3, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
        FROM post_details d LEFT JOIN post_schedule s ON s.post_detail_id = d.id
        WHERE s.id IS NULL;
        """;

    private static string Hex(Guid id) => $"UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')";
}
