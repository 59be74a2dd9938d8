using Scheduler.Domain.Common;
using Scheduler.Domain.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.UnitTests.Connections;

public sealed class ConnectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static Connection Started(AccountLogin login = AccountLogin.Facebook) =>
        Connection.Start(Guid.CreateVersion7(), login, new string('a', 64), null, "https://app.example.test/back", null, Now, TimeSpan.FromMinutes(10));

    private static ConnectionCandidate Candidate(string id, Platform platform = Platform.Facebook, AccountLogin login = AccountLogin.Facebook, string? problem = null) =>
        new(platform, id, "Name " + id, login, "sealed-token", null, Problem: problem);

    [Fact]
    public void TheState_IsSpentOnce()
    {
        var connection = Started();

        Assert.True(connection.SpendState(Now.AddMinutes(1)));
        var again = Assert.Throws<ConnectionStateException>(() => connection.SpendState(Now.AddMinutes(1)));

        Assert.Equal(ConnectionStateProblem.AlreadyUsed, again.Problem);
        Assert.Equal(ConnectionStatus.Exchanging, connection.Status);
    }

    [Fact]
    public void AnExpiredState_FailsTheConnection_AndIsNotExchanged()
    {
        var connection = Started();

        Assert.False(connection.SpendState(Now.AddMinutes(10)));

        Assert.Equal(ConnectionStatus.Failed, connection.Status);
        Assert.Equal("expired", connection.Error);
    }

    [Fact]
    public void Authorizing_KeepsOnlyAccountsThisLoginServes_OncePerAccount_AndExtendsTheConnection()
    {
        var connection = Started();
        connection.SpendState(Now);

        connection.Authorize(
            [Candidate("p1"), Candidate("p1"), Candidate("ig1", Platform.Instagram), Candidate("urn:li:person:x", Platform.LinkedIn, AccountLogin.LinkedIn)],
            Now,
            TimeSpan.FromHours(1));

        Assert.Equal(["p1", "ig1"], connection.Candidates.Select(c => c.ExternalAccountId).ToArray());
        Assert.Equal(Now.AddHours(1), connection.ExpiresAt);
        Assert.Null(connection.CodeVerifierEncrypted);
    }

    [Fact]
    public void Choosing_RefusesUnlistedOrBlockedAccounts_AndAnythingAfterExpiry()
    {
        var connection = Started();
        connection.SpendState(Now);
        connection.Authorize([Candidate("p1"), Candidate("p2", problem: "cannot create content")], Now, TimeSpan.FromHours(1));

        Assert.Single(connection.Choose(["p1", "p1"], Now));
        Assert.Contains("not among", Assert.Throws<DomainException>(() => connection.Choose(["p9"], Now)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot create content", Assert.Throws<DomainException>(() => connection.Choose(["p2"], Now)).Message, StringComparison.Ordinal);
        Assert.Contains("expired", Assert.Throws<DomainException>(() => connection.Choose(["p1"], Now.AddHours(1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclinedConnection_HasNothingToConnect()
    {
        var connection = Started();
        connection.SpendState(Now);

        connection.Decline("access_denied", "The user denied your request.", Now);

        Assert.Equal(ConnectionStatus.Declined, connection.Status);
        Assert.Throws<DomainException>(() => connection.Choose(["p1"], Now));
    }
}
