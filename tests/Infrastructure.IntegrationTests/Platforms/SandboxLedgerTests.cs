using Microsoft.Extensions.Configuration;
using Scheduler.Infrastructure.Platforms.Sandbox;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The sandbox's memory of what it published: calls in a burst share INSERTs, and none answers before its row is stored.</summary>
public sealed class SandboxLedgerTests(DatabaseFixture database) : IntegrationTest(database)
{
    private static SandboxLedger Ledger(string connectionString) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(connectionString)).Build());

    private static SandboxPublication Row(int i) => new()
    {
        PostId = Guid.CreateVersion7(),
        SocialAccountId = Guid.CreateVersion7(),
        Platform = "facebook",
        Attempt = 1,
        LockToken = Guid.CreateVersion7(),
        Outcome = "published",
        ExternalPostId = $"ledger-{i}",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task ABurstOfCalls_IsStoredWhole_AndEachCallReturnsOnlyOnceItsRowIsThere()
    {
        var ledger = Ledger(Database.ConnectionString);

        await Task.WhenAll(Enumerable.Range(0, 1_200).Select(async i =>
        {
            await ledger.RecordAsync(Row(i), Ct);
            Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM sandbox_publications WHERE external_post_id = 'ledger-{i}'"));
        }));

        Assert.Equal(1_200, await CountAsync("SELECT COUNT(DISTINCT external_post_id) FROM sandbox_publications"));
    }

    [Fact]
    public async Task AFailedWrite_IsEachCallersFailure_AndTheLedgerGoesOnAfterIt()
    {
        var broken = Ledger(Database.ConnectionString.Replace("Database=", "Database=missing_", StringComparison.Ordinal));

        var calls = Enumerable.Range(0, 20).Select(i => broken.RecordAsync(Row(i), Ct)).ToList();

        foreach (var call in calls)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => call);
        }

        var ledger = Ledger(Database.ConnectionString);
        await ledger.RecordAsync(Row(99), Ct);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM sandbox_publications WHERE external_post_id = 'ledger-99'"));
        await Assert.ThrowsAnyAsync<Exception>(() => broken.RecordAsync(Row(100), Ct));
    }
}
