using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Application.SocialAccounts.CheckTokenExpiries;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.IntegrationTests.Dispatching;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

/// <summary>The daily token check, through the mediator, with the clock moved forward.</summary>
public sealed class TokenExpiryTests(DatabaseFixture database) : IntegrationTest(database)
{
    private ServiceProvider At(TimeSpan ahead)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(Database.ConnectionString)).Build();
        return DatabaseFixture.BuildServices(configuration, s => s.AddSingleton<TimeProvider>(new Shifted(ahead)));
    }

    private static async Task<CheckTokenExpiriesResult> CheckAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CheckTokenExpiriesCommand(), Ct);
    }

    [Fact]
    public async Task ATokenNearItsExpiry_MarksTheAccountExpiringOnce_WithAnAlert_AndAtExpiryItNeedsReconnecting()
    {
        var company = Guid.CreateVersion7();
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.Facebook, "p-exp", "Expiring", "t", TokenExpiresAt: DateTimeOffset.UtcNow.AddDays(10)));
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.Facebook, "p-ok", "Fine", "t", TokenExpiresAt: DateTimeOffset.UtcNow.AddDays(60)));

        await using (var today = At(TimeSpan.Zero))
        {
            Assert.Equal(new CheckTokenExpiriesResult(0, 0), await CheckAsync(today));
        }

        await using (var fiveDaysOn = At(TimeSpan.FromDays(5)))
        {
            Assert.Equal(new CheckTokenExpiriesResult(1, 0), await CheckAsync(fiveDaysOn));
            Assert.Equal(new CheckTokenExpiriesResult(0, 0), await CheckAsync(fiveDaysOn)); // once
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'p-exp' AND status = 'expiring'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE type = 'account_token_expiring'"));

        await using (var elevenDaysOn = At(TimeSpan.FromDays(11)))
        {
            Assert.Equal(new CheckTokenExpiriesResult(0, 1), await CheckAsync(elevenDaysOn));
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'p-exp' AND status = 'needs_reconnect' AND status_reason LIKE 'The access token expired%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE type = 'account_needs_reconnect'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'p-ok' AND status = 'active'"));
    }

    [Fact]
    public async Task AnExpiringAccount_StillPublishes()
    {
        var company = Guid.CreateVersion7();
        var account = (await SendAsync(company, new ConnectSocialAccountCommand(Platform.Facebook, "p-pub", "Pub", "t", TokenExpiresAt: DateTimeOffset.UtcNow.AddDays(3)))).Account;
        await using var services = At(TimeSpan.Zero);
        await CheckAsync(services);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));

        await using (var scope = services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
            Assert.Equal(1, result.Published);
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE status = 'expiring'"));
    }

    private sealed class Shifted(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
