using System.Security.Cryptography;
using System.Text;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>With the app secret configured, every Graph call a publisher makes carries <c>appsecret_proof</c>.</summary>
public sealed class AppSecretProofTests() : FakePlatformTest(Platform.Facebook, ("Platforms:Facebook:AppSecret", Secret))
{
    private const string Secret = "graph-app-secret";
    private const string Page = "1000001";
    private const string Token = "EAAB-proof-page-token";

    [Fact]
    public async Task EveryGraphCall_CarriesTheHmacOfItsTokenKeyedWithTheAppSecret()
    {
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}/feed").UsingPost())
            .RespondWith(Response.Create().WithBody($$"""{"id":"{{Page}}_1"}"""));
        Fake.Given(Request.Create().WithPath($"/v26.0/{Page}_1").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"success":true}"""));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(Token)));

        var outcome = await Publisher.PublishAsync(
            new PublishRequest(Guid.CreateVersion7(), Guid.CreateVersion7(), Platform.Facebook, Page, Token, "Proof", [], null, 1, Guid.CreateVersion7(),
                RunAt: DateTimeOffset.UtcNow.AddMinutes(-1)),
            Ct);

        Assert.IsType<PublishOutcome.Published>(outcome);
        Assert.Equal(2, Fake.LogEntries.Count);
        Assert.All(Fake.LogEntries, e => Assert.Equal(expected, e.RequestMessage.Query!["appsecret_proof"].Single()));
    }
}
