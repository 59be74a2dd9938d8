using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Application.SocialAccounts.GetSocialAccounts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

public sealed class TokenStorageTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task AccessToken_IsStoredEncryptedAndOnlyTheProtectorReadsItBack()
    {
        const string token = "EAAB-very-secret-page-token";
        var company = Guid.CreateVersion7();

        await SendAsync(company, new ConnectSocialAccountCommand(Platform.Facebook, "123", "Page", token));

        var stored = await ReadStoredTokenAsync();
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", stored, StringComparison.Ordinal);
        Assert.Equal(token, Unprotect(Database.Services.GetRequiredService<ITokenProtector>(), stored));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM data_protection_keys") >= 1, "The key ring lives in the database.");
    }

    [Fact]
    public async Task AnotherNodeWithTheSameDatabase_CanDecryptTheToken()
    {
        const string token = "token-shared-across-nodes";
        await SendAsync(Guid.CreateVersion7(), new ConnectSocialAccountCommand(Platform.LinkedIn, "urn:li:person:1", "Me", token));

        await using var otherNode = DatabaseFixture.BuildServices(Database.Configuration);
        Assert.Equal(token, Unprotect(otherNode.GetRequiredService<ITokenProtector>(), await ReadStoredTokenAsync()));
    }

    [Fact]
    public async Task Connect_TheSameExternalIdAgain_ReconnectsInsteadOfDuplicating()
    {
        var company = Guid.CreateVersion7();
        var first = await SendAsync(company, new ConnectSocialAccountCommand(Platform.Facebook, "123", "Page", "old"));
        await ExecuteAsync("UPDATE social_accounts SET status = 'needs_reconnect'");

        var second = await SendAsync(company, new ConnectSocialAccountCommand(Platform.Facebook, " 123 ", "Page v2", "new"));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Account.Id, second.Account.Id);
        Assert.Equal(SocialAccountStatus.Active, second.Account.Status);
        Assert.Equal("new", Unprotect(Database.Services.GetRequiredService<ITokenProtector>(), await ReadStoredTokenAsync()));
        var accounts = await SendAsync(company, new GetSocialAccountsQuery());
        Assert.Equal("Page v2", Assert.Single(accounts).DisplayName);
    }

    private async Task<string> ReadStoredTokenAsync()
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand("SELECT access_token_encrypted FROM social_accounts", connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static string Unprotect(ITokenProtector protector, string stored) =>
        protector.TryUnprotect(stored, out var token) ? token : throw new InvalidOperationException("the token did not decrypt");
}
