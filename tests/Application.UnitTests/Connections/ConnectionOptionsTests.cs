using Scheduler.Application.Connections;

namespace Scheduler.Application.UnitTests.Connections;

public sealed class ConnectionOptionsTests
{
    private static readonly ConnectionOptions Options = new()
    {
        RedirectBaseUrl = "https://scheduler.example.test",
        AllowedReturnUrls = ["https://app.example.test/settings/", "https://other.example.test"],
    };

    [Theory]
    [InlineData("https://app.example.test/settings/", true)]
    [InlineData("https://app.example.test/settings/accounts?tab=2", true)]
    [InlineData("https://APP.example.test/settings/x", true)]
    [InlineData("https://other.example.test/anything", true)]
    [InlineData("https://scheduler.example.test/connect", true)]
    [InlineData("https://scheduler.example.test/connect?x=1", true)]
    [InlineData("https://scheduler.example.test/connections", false)]
    [InlineData("https://app.example.test/settingsX", false)]
    [InlineData("https://app.example.test/settings/../admin", false)]
    [InlineData("https://app.example.test:8443/settings/", false)]
    [InlineData("http://app.example.test/settings/", false)]
    [InlineData("https://app.example.test.evil.test/settings/", false)]
    [InlineData("https://user:pass@app.example.test/settings/", false)]
    [InlineData("https://app.example.test/settings/#frag", false)]
    [InlineData("//app.example.test/settings/", false)]
    [InlineData("/settings/", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(null, false)]
    public void AReturnUrl_MustBeUnderAnAllowedOriginAndPath(string? url, bool allowed) =>
        Assert.Equal(allowed, Options.IsAllowedReturnUrl(url));

    [Fact]
    public void TheRedirectUri_IsTheCallbackOfTheFlow() =>
        Assert.Equal("https://scheduler.example.test/connections/callback/linkedin", Options.RedirectUri(Domain.SocialAccounts.AccountLogin.LinkedIn));

    [Fact]
    public void TheState_IsRandom_AndOnlyItsHashIsKept()
    {
        var a = OAuthSecrets.NewRandom();
        var b = OAuthSecrets.NewRandom();

        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length);
        Assert.Equal(64, OAuthSecrets.Hash(a).Length);
        // RFC 7636 appendix B's example.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", OAuthSecrets.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }
}
