using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>The operator role: every company's queue and posts, the same actions; a company token keeps its own.</summary>
public sealed class OperatorTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private HttpClient Operator() => Factory.ClientWithToken(SchedulerFactory.Token(new Claim("sub", "ops"), new Claim("role", "operator")));

    private async Task<(Guid FailedOfA, Guid PendingOfB)> TwoCompaniesAsync(HttpClient a, HttpClient b)
    {
        var failed = (await ScheduleAsync(a, await ConnectAsync(a, "facebook", "page-a"))).GetProperty("id").GetGuid();
        await ScheduleAsync(a, await ConnectAsync(a, "linkedin", "urn:li:person:a"));
        var pending = (await ScheduleAsync(b, await ConnectAsync(b, "linkedin", "urn:li:organization:2"), "Hello from B")).GetProperty("id").GetGuid();
        await ExecuteSqlAsync($"UPDATE post_details SET status = 'failed', error_message = 'boom' WHERE id = UNHEX(REPLACE('{failed}', '-', ''))");
        await ExecuteSqlAsync($"UPDATE post_schedule SET status = 'failed', attempts = 3, last_error = 'boom' WHERE post_detail_id = UNHEX(REPLACE('{failed}', '-', ''))");
        return (failed, pending);
    }

    [Fact]
    public async Task AnOperator_SeesEveryCompanysQueue_PerCompanyAndPerPlatform()
    {
        var (companyA, companyB) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await TwoCompaniesAsync(Factory.ClientFor(companyA), Factory.ClientFor(companyB));

        var health = await AssertOkAsync(await Operator().GetAsync("/operator/queue/health", Ct));

        Assert.Equal((2, 1), (health.GetProperty("counts").GetProperty("pending").GetInt32(), health.GetProperty("counts").GetProperty("failed").GetInt32()));
        var companies = health.GetProperty("companies").EnumerateArray()
            .ToDictionary(c => c.GetProperty("companyId").GetGuid(), c => (c.GetProperty("counts").GetProperty("pending").GetInt32(), c.GetProperty("counts").GetProperty("failed").GetInt32()));
        Assert.Equal((1, 1), companies[companyA]);
        Assert.Equal((1, 0), companies[companyB]);
        Assert.Equal(
            ["facebook 0 1", "linkedin 2 0"],
            health.GetProperty("platforms").EnumerateArray()
                .Select(p => $"{p.GetProperty("platform").GetString()} {p.GetProperty("counts").GetProperty("pending").GetInt32()} {p.GetProperty("counts").GetProperty("failed").GetInt32()}")
                .Order().ToArray());
    }

    [Fact]
    public async Task AnOperator_RecountsPostsChangedByHand_ACompanyMayNot()
    {
        var a = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(a, "facebook", "page-recount");
        var post = (await ScheduleAsync(a, account)).GetProperty("id").GetGuid();
        await ScheduleAsync(a, account);
        // Changed in SQL, past the application: the kept counts still say two pending.
        await using (var connection = new MySqlConnector.MySqlConnection(Factory.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new MySqlConnector.MySqlCommand(
                $"UPDATE post_details SET status = 'cancelled' WHERE id = UNHEX(REPLACE('{post}', '-', ''))", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal(2, (await AssertOkAsync(await a.GetAsync("/queue/health", Ct))).GetProperty("counts").GetProperty("pending").GetInt32());

        await AssertProblemAsync(await a.PostAsync("/operator/queue/recount", null, Ct), HttpStatusCode.Forbidden);
        var recount = await AssertOkAsync(await Operator().PostAsync("/operator/queue/recount", null, Ct));

        Assert.Equal(2, recount.GetProperty("posts").GetInt32());
        var counts = (await AssertOkAsync(await a.GetAsync("/queue/health", Ct))).GetProperty("counts");
        Assert.Equal((1, 1), (counts.GetProperty("pending").GetInt32(), counts.GetProperty("cancelled").GetInt32()));
    }

    [Fact]
    public async Task AnOperator_ListsAndRetriesAnyCompanysFailedPost_ThroughTheSameCommand()
    {
        var a = Factory.ClientFor(Guid.CreateVersion7());
        var (failed, _) = await TwoCompaniesAsync(a, Factory.ClientFor(Guid.CreateVersion7()));

        var list = await AssertOkAsync(await Operator().GetAsync("/operator/posts?status=failed", Ct));
        var detail = await AssertOkAsync(await Operator().GetAsync($"/operator/posts/{failed}", Ct));
        var retried = await AssertOkAsync(await Operator().PostAsync($"/operator/posts/{failed}/retry", null, Ct));

        Assert.Equal(failed, Assert.Single(list.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal("failed", detail.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, detail.GetProperty("attemptHistory").ValueKind);
        Assert.Equal("pending", retried.GetProperty("status").GetString());
        Assert.Equal("pending", (await AssertOkAsync(await a.GetAsync($"/scheduled-posts/{failed}", Ct))).GetProperty("status").GetString());
        await AssertProblemAsync(await Operator().PostAsync($"/operator/posts/{Guid.CreateVersion7()}/retry", null, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ACompanyToken_CannotUseTheOperatorRoutes_AndAnOperatorTokenIsNoCompanys()
    {
        var a = Factory.ClientFor(Guid.CreateVersion7());
        var (failed, pendingOfB) = await TwoCompaniesAsync(a, Factory.ClientFor(Guid.CreateVersion7()));

        await AssertProblemAsync(await a.GetAsync("/operator/queue/health", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await a.DeleteAsync($"/operator/posts/{pendingOfB}", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await a.GetAsync($"/scheduled-posts/{pendingOfB}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await Operator().GetAsync("/scheduled-posts", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await Factory.CreateClient().GetAsync("/operator/queue/health", Ct), HttpStatusCode.Unauthorized);
        var forged = SchedulerFactory.Token("another-signing-key-that-is-long-enough-000000", DateTime.UtcNow.AddHours(1), new Claim("role", "operator"));
        await AssertProblemAsync(await Factory.ClientWithToken(forged).GetAsync("/operator/queue/health", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("failed", (await AssertOkAsync(await a.GetAsync($"/scheduled-posts/{failed}", Ct))).GetProperty("status").GetString());
    }
}
