using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Clients.CreateClient;
using Scheduler.Application.Common.Behaviours;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

/// <summary>Idempotency keys for in-process callers: a property of the command, through the real mediator.</summary>
public sealed class IdempotencyTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task ACommandSentTwiceWithItsKey_RunsOnce_AndAnswersTheFirstResponse()
    {
        var company = Guid.CreateVersion7();
        var command = new CreateClientCommand("Bakery") { IdempotencyKey = "in-process-1" };

        var first = await SendAsync(company, command);
        var again = await SendAsync(company, command with { });

        Assert.Equal((first.Id, first.Name, first.CreatedAt, first.Accounts.Count), (again.Id, again.Name, again.CreatedAt, again.Accounts.Count));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM clients"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM idempotency_keys WHERE completed_at IS NOT NULL AND response IS NOT NULL"));
    }

    [Fact]
    public async Task AKeyHeldByARunningRequest_Is409_UntilItIsAbandoned()
    {
        var company = Guid.CreateVersion7();
        var command = new CreateClientCommand("Held") { IdempotencyKey = "held-1" };
        await SendAsync(company, new CreateClientCommand("Provisions the company"));
        Claim started;
        await using (var scope = await Database.ScopeForAsync(company))
        {
            started = Claim.Of(await scope.ServiceProvider.GetRequiredService<IIdempotencyStore>()
                .BeginAsync(company, "held-1", IdempotencyJson.Hash(command), Ct));
        }

        await Assert.ThrowsAsync<IdempotencyInProgressException>(() => SendAsync(company, command));

        // The holder died: once its reservation is older than the abandonment window, the key is free again.
        await ExecuteAsync("UPDATE idempotency_keys SET created_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR");
        var created = await SendAsync(company, command);
        Assert.Equal("Held", created.Name);
        Assert.True(started.IsStarted);
    }

    [Fact]
    public async Task AnExpiredKey_IsANewKey()
    {
        var company = Guid.CreateVersion7();
        await SendAsync(company, new CreateClientCommand("First") { IdempotencyKey = "reuse-1" });
        await ExecuteAsync("UPDATE idempotency_keys SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND");

        var second = await SendAsync(company, new CreateClientCommand("Second") { IdempotencyKey = "reuse-1" });

        Assert.Equal("Second", second.Name);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM clients"));
    }

    [Fact]
    public async Task KeysCompareExactly()
    {
        var company = Guid.CreateVersion7();
        await SendAsync(company, new CreateClientCommand("Lower") { IdempotencyKey = "abc" });
        await SendAsync(company, new CreateClientCommand("Upper") { IdempotencyKey = "ABC" });

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM clients"));
    }

    private sealed record Claim(bool IsStarted)
    {
        public static Claim Of(IdempotencyClaim claim) => new(claim is IdempotencyClaim.Started);
    }
}
