using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>
/// Tokens and tenancy on every tenant route, the routes read from the running application's endpoint list: a route
/// added later is covered without anyone remembering to list it.
/// </summary>
public sealed class AuthMatrixTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    /// <param name="SendsBody">The endpoint reads a JSON body (its companyId goes there; else in the query).</param>
    private sealed record Route(string Method, string Pattern, bool SendsBody)
    {
        public string Path(Guid id) => System.Text.RegularExpressions.Regex.Replace(Pattern, @"\{[^}]+\}", id.ToString());
    }

    private List<Route> TenantRoutes() =>
    [
        .. Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == DependencyInjection.TenantPolicy))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => new Route(
                m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not null)))
            .OrderBy(r => r.Pattern).ThenBy(r => r.Method),
    ];

    private static string Token(
        Claim[]? claims = null, string key = SchedulerFactory.SigningKey, string algorithm = SecurityAlgorithms.HmacSha256,
        string issuer = SchedulerFactory.Issuer, string audience = SchedulerFactory.Audience, DateTime? notBefore = null, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims ?? [new Claim("company_id", Guid.CreateVersion7().ToString())]),
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-5),
            IssuedAt = notBefore ?? DateTime.UtcNow.AddMinutes(-5),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        });

    /// <summary>A token that says it needs no signature.</summary>
    private static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(json);
        var payload = $$"""{"iss":"{{SchedulerFactory.Issuer}}","aud":"{{SchedulerFactory.Audience}}","company_id":"{{Guid.CreateVersion7()}}","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""";
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part(payload)}.";
    }

    public static TheoryData<string> BadTokens() => new()
    {
        "none", "garbage", "alg=none", "another key", "another algorithm", "wrong issuer", "wrong audience", "expired", "not yet valid",
    };

    private static string? TokenFor(string kind) => kind switch
    {
        "none" => null,
        "garbage" => "garbage",
        "alg=none" => Unsigned(),
        "another key" => Token(key: "another-signing-key-that-is-long-enough-000000"),
        "another algorithm" => Token(key: SchedulerFactory.SigningKey + SchedulerFactory.SigningKey, algorithm: SecurityAlgorithms.HmacSha512),
        "wrong issuer" => Token(issuer: "someone-else"),
        "wrong audience" => Token(audience: "another-api"),
        "expired" => Token(notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-1)),
        "not yet valid" => Token(notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private async Task<HttpResponseMessage> SendAsync(Route route, string? token, Guid id, string query = "", object? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(id) + query);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (route.SendsBody)
        {
            request.Content = JsonContent.Create(body ?? new { });
        }

        return await Factory.CreateClient().SendAsync(request, Ct);
    }

    [Fact]
    public void TheEndpointList_HoldsEveryTenantRoute()
    {
        var routes = TenantRoutes().Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.Contains("POST /schedule-post", routes);
        Assert.Contains("DELETE /scheduled-posts/{id}", routes);
        Assert.True(routes.Count >= 11, string.Join(", ", routes));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task EveryTenantRoute_RefusesABadToken_With401ProblemDetails(string kind)
    {
        foreach (var route in TenantRoutes())
        {
            var response = await SendAsync(route, TokenFor(kind), Guid.CreateVersion7());
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Method} {route.Pattern} with {kind}: {(int)response.StatusCode}");
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("acme")]
    public async Task EveryTenantRoute_RefusesATokenWithoutAValidCompany_With403(string? company)
    {
        var token = Token(company is null ? [new Claim("sub", "someone")] : [new Claim("company_id", company)]);
        foreach (var route in TenantRoutes())
        {
            var response = await SendAsync(route, token, Guid.CreateVersion7());
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryTenantRoute_RefusesAnotherCompanysId_InItsQueryOrBody_With403()
    {
        var token = Token();
        var other = Guid.CreateVersion7();
        foreach (var route in TenantRoutes())
        {
            var response = route.SendsBody
                ? await SendAsync(route, token, Guid.CreateVersion7(), body: new { companyId = other })
                : await SendAsync(route, token, Guid.CreateVersion7(), query: $"?companyId={other}");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
            await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task EveryRouteOnAPost_AnswersAnotherCompany404_WordForWordAsForAPostThatDoesNotExist()
    {
        var a = Factory.ClientFor(Guid.CreateVersion7());
        var postOfA = (await ScheduleAsync(a, await ConnectAsync(a))).GetProperty("id").GetGuid();
        // Company B may do everything a company may, approving included: what stops it is the tenancy alone.
        var tokenOfB = Token([new Claim("company_id", Guid.CreateVersion7().ToString()), new Claim("role", "approver")]);
        var missing = Guid.CreateVersion7();
        var body = new { content = "hijack", reason = "hijack" };
        foreach (var route in TenantRoutes().Where(r => r.Pattern.StartsWith("/scheduled-posts/{id}", StringComparison.Ordinal)))
        {
            var foreign = await SendAsync(route, tokenOfB, postOfA, body: body);
            var absent = await SendAsync(route, tokenOfB, missing, body: body);

            var foreignProblem = await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
            var absentProblem = await AssertProblemAsync(absent, HttpStatusCode.NotFound);
            Assert.Equal(
                absentProblem.GetProperty("detail").GetString()!.Replace(missing.ToString(), "{id}", StringComparison.Ordinal),
                foreignProblem.GetProperty("detail").GetString()!.Replace(postOfA.ToString(), "{id}", StringComparison.Ordinal));
        }

        Assert.Equal("pending", (await AssertOkAsync(await a.GetAsync($"/scheduled-posts/{postOfA}", Ct))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefusedTokens_NeverReachTheLogs()
    {
        var tokens = BadTokens().Select(row => TokenFor(row.Data)).OfType<string>().Where(t => t.Length > 20).ToList();
        var route = TenantRoutes().First(r => r.Method == "GET");
        foreach (var token in tokens)
        {
            await SendAsync(route, token, Guid.CreateVersion7());
        }

        Assert.NotEmpty(Factory.Logs);
        foreach (var token in tokens)
        {
            // The signed part is what makes a token usable: neither it nor the whole token may be written anywhere.
            var secret = token.Split('.')[^1] is { Length: > 10 } signature ? signature : token.Split('.')[1];
            Assert.DoesNotContain(Factory.Logs, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
