using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Domain.SocialAccounts.Events;
using static Scheduler.Domain.UnitTests.Posts.PostFactory;

namespace Scheduler.Domain.UnitTests.SocialAccounts;

public sealed class SocialAccountTests
{
    [Fact]
    public void Connect_IsActiveAndRaisesConnected()
    {
        var account = Account(Platform.LinkedIn);
        Assert.Equal(SocialAccountStatus.Active, account.Status);
        Assert.True(account.IsActive);
        Assert.IsType<SocialAccountConnectedEvent>(Assert.Single(account.DomainEvents));
    }

    [Theory]
    [InlineData("", "token")]
    [InlineData("page", " ")]
    public void Connect_WithoutExternalIdOrToken_ThrowsDomainException(string externalId, string token)
    {
        Assert.Throws<DomainException>(() =>
            SocialAccount.Connect(CompanyId, null, Platform.Facebook, externalId, "x", token, null, Now));
    }

    [Theory]
    [InlineData(Platform.Facebook, null, AccountLogin.Facebook)]
    [InlineData(Platform.Instagram, null, AccountLogin.Facebook)]
    [InlineData(Platform.Instagram, AccountLogin.Instagram, AccountLogin.Instagram)]
    [InlineData(Platform.LinkedIn, null, AccountLogin.LinkedIn)]
    public void Connect_RecordsTheLogin_DefaultingByPlatform(Platform platform, AccountLogin? login, AccountLogin expected)
    {
        Assert.Equal(expected, SocialAccount.Connect(CompanyId, null, platform, "urn:li:person:a", "x", "t", null, Now, login).Login);
    }

    [Theory]
    [InlineData(Platform.Facebook, AccountLogin.Instagram)]
    [InlineData(Platform.LinkedIn, AccountLogin.Facebook)]
    [InlineData(Platform.Instagram, AccountLogin.LinkedIn)]
    public void Connect_ThroughALoginThatDoesNotServeThePlatform_ThrowsDomainException(Platform platform, AccountLogin login)
    {
        Assert.Throws<DomainException>(() => SocialAccount.Connect(CompanyId, null, platform, "x", "x", "t", null, Now, login));
    }

    [Fact]
    public void CheckTokenExpiry_WarnsOnce_StaysAbleToPublish_ThenNeedsReconnectAtExpiry()
    {
        var account = SocialAccount.Connect(CompanyId, null, Platform.Facebook, "p", "P", "t", Now.AddDays(5), Now);
        account.ClearDomainEvents();

        account.CheckTokenExpiry(TimeSpan.FromDays(7), Now);
        account.CheckTokenExpiry(TimeSpan.FromDays(7), Now.AddHours(1));

        Assert.Equal(SocialAccountStatus.Expiring, account.Status);
        Assert.True(account.IsActive);
        Assert.Equal(Now.AddDays(5), Assert.IsType<SocialAccountTokenExpiringEvent>(Assert.Single(account.DomainEvents)).ExpiresAt);

        account.CheckTokenExpiry(TimeSpan.FromDays(7), Now.AddDays(5));

        Assert.Equal(SocialAccountStatus.NeedsReconnect, account.Status);
        Assert.False(account.IsActive);
        Assert.IsType<SocialAccountNeedsReconnectEvent>(account.DomainEvents.Last());
    }

    [Fact]
    public void CheckTokenExpiry_LeavesATokenWithoutExpiryOrFarFromIt_Alone()
    {
        var unknown = SocialAccount.Connect(CompanyId, null, Platform.Facebook, "p", "P", "t", null, Now);
        var far = SocialAccount.Connect(CompanyId, null, Platform.Facebook, "q", "Q", "t", Now.AddDays(30), Now);

        unknown.CheckTokenExpiry(TimeSpan.FromDays(7), Now);
        far.CheckTokenExpiry(TimeSpan.FromDays(7), Now);

        Assert.Equal((SocialAccountStatus.Active, SocialAccountStatus.Active), (unknown.Status, far.Status));
    }

    [Fact]
    public void RequireReconnect_MarksTheAccountOnceAndRaisesOnce()
    {
        var account = Account();
        account.ClearDomainEvents();

        account.RequireReconnect("(#190) token expired", Now);
        account.RequireReconnect("again", Now);

        Assert.Equal(SocialAccountStatus.NeedsReconnect, account.Status);
        Assert.Equal("(#190) token expired", account.StatusReason);
        Assert.False(account.IsActive);
        Assert.IsType<SocialAccountNeedsReconnectEvent>(Assert.Single(account.DomainEvents));
    }

    [Fact]
    public void Reconnect_ReplacesTheTokenAndReactivates()
    {
        var account = Account();
        account.RequireReconnect("expired", Now);
        var expires = Now.AddDays(60);

        account.Reconnect("New name", "new-protected", expires, null, Now.AddHours(1));

        Assert.Equal(SocialAccountStatus.Active, account.Status);
        Assert.Null(account.StatusReason);
        Assert.Equal("new-protected", account.AccessTokenEncrypted);
        Assert.Equal("New name", account.DisplayName);
        Assert.Equal(expires, account.TokenExpiresAt);
    }

    [Fact]
    public void Disable_StopsTheAccount()
    {
        var account = Account();
        account.Disable("policy block", Now);
        Assert.Equal(SocialAccountStatus.Disabled, account.Status);
        Assert.False(account.IsActive);
    }
}
