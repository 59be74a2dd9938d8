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

    [Fact]
    public async Task AnInstagramLoginToken_IsRenewedAheadOfItsExpiry_AndAFailedRenewalIsWarnedAbout()
    {
        using var instagram = WireMock.Server.WireMockServer.Start();
        instagram.Given(WireMock.RequestBuilders.Request.Create().WithPath("/refresh_access_token").WithParam("access_token", "IGAA-old").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithBody("""{"access_token":"IGAA-new","token_type":"bearer","expires_in":5184000}"""));
        instagram.Given(WireMock.RequestBuilders.Request.Create().WithPath("/refresh_access_token").WithParam("access_token", "IGAA-revoked").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(400)
                .WithBody("""{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"fbtrace_id":"x"}}"""));
        var company = Guid.CreateVersion7();
        var soon = DateTimeOffset.UtcNow.AddDays(3);
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.Instagram, "ig-renew", "Renew", "IGAA-old", TokenExpiresAt: soon, Login: AccountLogin.Instagram));
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.Instagram, "ig-revoked", "Revoked", "IGAA-revoked", TokenExpiresAt: soon, Login: AccountLogin.Instagram));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(
            Database.ConnectionString, [("Publishing:Mode", "Live"), ("Platforms:Instagram:InstagramLoginBaseUrl", instagram.Url)])).Build();
        await using var services = DatabaseFixture.BuildServices(configuration);

        var result = await CheckAsync(services);

        Assert.Equal(new CheckTokenExpiriesResult(Expiring: 1, Expired: 0, Refreshed: 1), result);
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'ig-renew' AND status = 'active' AND token_expires_at > UTC_TIMESTAMP(6) + INTERVAL 59 DAY"));
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'ig-revoked' AND status = 'expiring' AND status_reason LIKE '%Renewing it failed: Graph error 190%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE type = 'account_token_expiring'"));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Scheduler.Infrastructure.Persistence.SchedulerDbContext>();
        var renewed = db.SocialAccounts.Single(a => a.ExternalAccountId == "ig-renew");
        Assert.True(scope.ServiceProvider.GetRequiredService<Scheduler.Application.Common.Interfaces.ITokenProtector>()
            .TryUnprotect(renewed.AccessTokenEncrypted, out var clear));
        Assert.Equal("IGAA-new", clear);
    }

    [Fact]
    public async Task ALinkedInTokenWithARefreshToken_IsRenewedWithIt_AndARefusedRefreshIsWarnedAbout()
    {
        using var linkedIn = WireMock.Server.WireMockServer.Start();
        linkedIn.Given(WireMock.RequestBuilders.Request.Create().WithPath("/oauth/v2/accessToken").UsingPost()
                .WithBody(new WireMock.Matchers.RegexMatcher("grant_type=refresh_token&refresh_token=li-refresh-good&client_id=li-app&client_secret=li-secret")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithBody("""{"access_token":"li-new","expires_in":5184000,"refresh_token":"li-refresh-good","refresh_token_expires_in":25000000,"scope":"w_member_social"}"""));
        linkedIn.Given(WireMock.RequestBuilders.Request.Create().WithPath("/oauth/v2/accessToken").UsingPost()
                .WithBody(new WireMock.Matchers.RegexMatcher("refresh_token=li-refresh-revoked")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(400)
                .WithBody("""{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"""));
        var company = Guid.CreateVersion7();
        var soon = DateTimeOffset.UtcNow.AddDays(3);
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.LinkedIn, "urn:li:person:good", "Good", "li-old", TokenExpiresAt: soon));
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.LinkedIn, "urn:li:person:revoked", "Revoked", "li-old-2", TokenExpiresAt: soon));
        await SendAsync(company, new ConnectSocialAccountCommand(Platform.LinkedIn, "urn:li:person:none", "No refresh token", "li-old-3", TokenExpiresAt: soon));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(
            Database.ConnectionString,
            [("Publishing:Mode", "Live"), ("Platforms:LinkedIn:OAuthBaseUrl", linkedIn.Url), ("Platforms:LinkedIn:AppId", "li-app"), ("Platforms:LinkedIn:AppSecret", "li-secret")])).Build();
        await using var services = DatabaseFixture.BuildServices(configuration);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Scheduler.Infrastructure.Persistence.SchedulerDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<Scheduler.Application.Common.Interfaces.ITokenProtector>();
            foreach (var (urn, refresh) in new[] { ("urn:li:person:good", "li-refresh-good"), ("urn:li:person:revoked", "li-refresh-revoked") })
            {
                var account = db.SocialAccounts.Single(a => a.ExternalAccountId == urn);
                account.RenewToken(account.AccessTokenEncrypted, soon, DateTimeOffset.UtcNow, new RefreshToken(protector.Protect(refresh), DateTimeOffset.UtcNow.AddDays(300)));
            }

            await db.SaveChangesAsync(Ct);
        }

        var result = await CheckAsync(services);

        Assert.Equal(new CheckTokenExpiriesResult(Expiring: 2, Expired: 0, Refreshed: 1), result);
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'urn:li:person:good' AND status = 'active' AND token_expires_at > UTC_TIMESTAMP(6) + INTERVAL 59 DAY"));
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'urn:li:person:revoked' AND status = 'expiring' AND status_reason LIKE '%Renewing it failed: LinkedIn refused the refresh (HTTP 400: Token has been expired or revoked.)%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM social_accounts WHERE external_account_id = 'urn:li:person:none' AND status = 'expiring'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE type = 'account_token_expiring'"));
        await using var check = services.CreateAsyncScope();
        var renewed = check.ServiceProvider.GetRequiredService<Scheduler.Infrastructure.Persistence.SchedulerDbContext>().SocialAccounts
            .Single(a => a.ExternalAccountId == "urn:li:person:good");
        var tokens = check.ServiceProvider.GetRequiredService<Scheduler.Application.Common.Interfaces.ITokenProtector>();
        Assert.True(tokens.TryUnprotect(renewed.AccessTokenEncrypted, out var clear));
        Assert.Equal("li-new", clear);
        // 25,000,000 s: the platform's count for the refresh token, not a fresh year.
        Assert.InRange(renewed.RefreshTokenExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(289), TimeSpan.FromDays(290));
    }

    private sealed class Shifted(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
