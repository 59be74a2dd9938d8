using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;

namespace Scheduler.Web.FunctionalTests.Endpoints;

public sealed class SecurityAndTenancyTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    public static TheoryData<string, string> Routes() => new()
    {
        { "POST", "/schedule-post" },
        { "GET", "/scheduled-posts" },
        { "GET", $"/scheduled-posts/{Guid.Empty}" },
        { "PATCH", $"/scheduled-posts/{Guid.Empty}" },
        { "DELETE", $"/scheduled-posts/{Guid.Empty}" },
        { "POST", $"/scheduled-posts/{Guid.Empty}/retry" },
        { "GET", "/social-accounts" },
        { "POST", "/social-accounts" },
        { "GET", "/clients" },
        { "POST", "/clients" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryApiRoute_WithoutAToken_Answers401ProblemDetails(string method, string path)
    {
        var response = await Factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BadTokens_Answer401()
    {
        var company = new Claim("company_id", Guid.CreateVersion7().ToString());
        var wrongKey = SchedulerFactory.Token("another-signing-key-that-is-long-enough-000", DateTime.UtcNow.AddHours(1), company);
        var expired = SchedulerFactory.Token(SchedulerFactory.SigningKey, DateTime.UtcNow.AddHours(-1), company);

        await AssertProblemAsync(await Factory.ClientWithToken(wrongKey).GetAsync("/clients", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await Factory.ClientWithToken(expired).GetAsync("/clients", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await Factory.ClientWithToken("garbage").GetAsync("/clients", Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATokenWithoutAValidCompany_Answers403()
    {
        var noClaim = Factory.ClientWithToken(SchedulerFactory.Token(new Claim("sub", "someone")));
        var notAGuid = Factory.ClientWithToken(SchedulerFactory.Token(new Claim("company_id", "acme")));

        await AssertProblemAsync(await noClaim.GetAsync("/clients", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await notAGuid.GetAsync("/clients", Ct), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ACompanyIdOtherThanTheTokens_Answers403_InQueryAndBody()
    {
        var company = Guid.CreateVersion7();
        var client = Factory.ClientFor(company);
        var other = Guid.CreateVersion7();

        await AssertProblemAsync(await client.GetAsync($"/scheduled-posts?companyId={other}", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(
            await client.PostAsJsonAsync("/clients", new { name = "x", companyId = other }, Ct), HttpStatusCode.Forbidden);
        await AssertOkAsync(await client.GetAsync($"/scheduled-posts?companyId={company}", Ct));
    }

    [Fact]
    public async Task CompanyB_CanNeitherSeeNorChangeAnythingOfCompanyA()
    {
        var a = Factory.ClientFor(Guid.CreateVersion7());
        var b = Factory.ClientFor(Guid.CreateVersion7());
        var clientOfA = (await AssertOkAsync(await a.PostAsJsonAsync("/clients", new { name = "A's client" }, Ct), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var accountOfA = await ConnectAsync(a, clientId: clientOfA);
        var postOfA = (await ScheduleAsync(a, accountOfA)).GetProperty("id").GetGuid();

        await AssertProblemAsync(await b.GetAsync($"/scheduled-posts/{postOfA}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await b.PatchAsJsonAsync($"/scheduled-posts/{postOfA}", new { content = "hijack" }, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await b.DeleteAsync($"/scheduled-posts/{postOfA}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await b.PostAsync($"/scheduled-posts/{postOfA}/retry", null, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await b.PostAsJsonAsync("/schedule-post", new { socialAccountId = accountOfA, content = "x", runAt = Future(TimeSpan.FromHours(1)) }, Ct),
            HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await b.PostAsJsonAsync("/social-accounts", new { platform = "facebook", externalAccountId = "b-page", displayName = "B", accessToken = "t", clientId = clientOfA }, Ct),
            HttpStatusCode.NotFound);
        Assert.Equal(0, (await AssertOkAsync(await b.GetAsync("/scheduled-posts", Ct))).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await AssertOkAsync(await b.GetAsync($"/scheduled-posts?socialAccountId={accountOfA}", Ct))).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await AssertOkAsync(await b.GetAsync("/social-accounts", Ct))).GetArrayLength());
        Assert.Equal(0, (await AssertOkAsync(await b.GetAsync("/clients", Ct))).GetArrayLength());

        // Connecting the same external account in company B makes B's own account, not a takeover of A's.
        var accountOfB = await ConnectAsync(b);
        Assert.NotEqual(accountOfA, accountOfB);
        var afterAll = await AssertOkAsync(await a.GetAsync($"/scheduled-posts/{postOfA}", Ct));
        Assert.Equal("Hello", afterAll.GetProperty("content").GetString());
        Assert.Equal("pending", afterAll.GetProperty("status").GetString());
    }
}
