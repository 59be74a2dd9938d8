using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Scheduler.Web.FunctionalTests.Endpoints;

public sealed class SocialAccountsAndClientsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    [Fact]
    public async Task Connect_New201_SameExternalIdAgain200Reconnected_NeverReturnsTheToken()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var body = new { platform = "linkedin", externalAccountId = "urn:li:organization:7", displayName = "Org", accessToken = "AQX-secret-1" };

        var created = await client.PostAsJsonAsync("/social-accounts", body, Ct);
        var first = await AssertOkAsync(created, HttpStatusCode.Created);
        var again = await AssertOkAsync(await client.PostAsJsonAsync("/social-accounts", body with { accessToken = "AQX-secret-2" }, Ct));
        var list = await client.GetStringAsync("/social-accounts", Ct);

        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal("linkedin", first.GetProperty("platform").GetString());
        Assert.Equal("active", again.GetProperty("status").GetString());
        foreach (var text in new[] { first.ToString(), again.ToString(), list })
        {
            Assert.DoesNotContain("AQX-secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("accessToken", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AnInstagramAccount_RecordsWhichLoginItCameThrough()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());

        var viaInstagram = await AssertOkAsync(await client.PostAsJsonAsync("/social-accounts",
            new { platform = "instagram", externalAccountId = "17841", displayName = "Shop", accessToken = "IGAA-t", login = "instagram" }, Ct), HttpStatusCode.Created);
        var viaFacebook = await AssertOkAsync(await client.PostAsJsonAsync("/social-accounts",
            new { platform = "instagram", externalAccountId = "17842", displayName = "Shop 2", accessToken = "EAAB-t" }, Ct), HttpStatusCode.Created);

        Assert.Equal(("instagram", "facebook"), (viaInstagram.GetProperty("login").GetString(), viaFacebook.GetProperty("login").GetString()));
    }

    [Fact]
    public async Task TheAccessToken_NeverReachesTheLogs()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "log-check");
        await ScheduleAsync(client, account);
        await client.PostAsJsonAsync("/social-accounts", new { platform = "facebook", externalAccountId = "", displayName = "x", accessToken = "tok-bad-request" }, Ct);

        Assert.NotEmpty(Factory.Logs);
        Assert.DoesNotContain(Factory.Logs, line => line.Contains("tok-log-check", StringComparison.Ordinal));
        Assert.DoesNotContain(Factory.Logs, line => line.Contains("tok-bad-request", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"platform":"myspace","externalAccountId":"1","displayName":"x","accessToken":"t"}""", "platform")]
    [InlineData("""{"platform":"facebook","externalAccountId":"","displayName":"x","accessToken":"t"}""", "externalAccountId")]
    [InlineData("""{"platform":"facebook","externalAccountId":"1","displayName":"x"}""", "accessToken")]
    [InlineData("""{"platform":"facebook","externalAccountId":"1","displayName":"x","accessToken":"t","tokenExpiresAt":"2001-01-01T00:00:00Z"}""", "tokenExpiresAt")]
    [InlineData("""{"platform":"facebook","externalAccountId":"1","displayName":"x","accessToken":"t","login":"instagram"}""", "login")]
    public async Task Connect_Invalid_Answers400(string json, string mentioned)
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var response = await client.PostAsync("/social-accounts", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_Create201_AndListWithTheirAccounts()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var created = await AssertOkAsync(await client.PostAsJsonAsync("/clients", new { name = "Bakery" }, Ct), HttpStatusCode.Created);
        var clientId = created.GetProperty("id").GetGuid();
        await ConnectAsync(client, "facebook", "bakery-page", clientId);
        await ConnectAsync(client, "instagram", "agency-ig");

        var clients = await AssertOkAsync(await client.GetAsync("/clients", Ct));

        var only = Assert.Single(clients.EnumerateArray());
        Assert.Equal("Bakery", only.GetProperty("name").GetString());
        Assert.Equal("bakery-page", Assert.Single(only.GetProperty("accounts").EnumerateArray()).GetProperty("externalAccountId").GetString());
        await AssertProblemAsync(await client.PostAsJsonAsync("/clients", new { name = "" }, Ct), HttpStatusCode.BadRequest);
    }
}
