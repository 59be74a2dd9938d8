using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>Rate limits per company, response headers, HSTS and CORS.</summary>
public sealed class ApiLimitsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static HttpClient ClientFor(WebApplicationFactory<Program> app, Guid company)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", SchedulerFactory.Token(new Claim("company_id", company.ToString())));
        return client;
    }

    [Fact]
    public async Task ACompanyOverItsRate_Gets429ProblemDetailsWithRetryAfter_AndOtherCompaniesDoNot()
    {
        await using var app = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("RateLimiting:Enabled", "true");
            b.UseSetting("RateLimiting:BurstPerCompany", "3");
            b.UseSetting("RateLimiting:RequestsPerSecondPerCompany", "1");
        });
        var busy = ClientFor(app, Guid.CreateVersion7());
        var other = ClientFor(app, Guid.CreateVersion7());

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await busy.GetAsync("/social-accounts", Ct));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].StatusCode);
        var refused = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("retry in", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/social-accounts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/health/live", Ct)).StatusCode); // health is never limited
    }

    [Fact]
    public async Task EveryAnswer_SaysNosniff_KestrelNamesNoServer_AndHttpsAnswersCarryHsts()
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://scheduler.example") });

        var response = await client.GetAsync("/health/live", Ct);
        var unauthorized = await client.GetAsync("/scheduled-posts", Ct);

        foreach (var answer in new[] { response, unauthorized })
        {
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // The test server has no Kestrel to add a banner: the setting Kestrel reads is what is checked.
        var kestrel = Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>();
        Assert.False(kestrel.Value.AddServerHeader);

        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_IsOffUnlessOriginsAreConfigured()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/scheduled-posts");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        var closed = await Factory.CreateClient().SendAsync(preflight, Ct);
        Assert.False(closed.Headers.Contains("Access-Control-Allow-Origin"));

        await using var app = Factory.WithWebHostBuilder(b => b.UseSetting("Cors:AllowedOrigins:0", "https://app.example"));
        using var again = new HttpRequestMessage(HttpMethod.Options, "/scheduled-posts");
        again.Headers.Add("Origin", "https://app.example");
        again.Headers.Add("Access-Control-Request-Method", "GET");
        var open = await app.CreateClient().SendAsync(again, Ct);
        Assert.Equal("https://app.example", open.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
