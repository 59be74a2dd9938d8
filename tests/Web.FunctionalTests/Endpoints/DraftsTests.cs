using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>Drafts stay out of the queue; approval needs a token with the approver role.</summary>
public sealed class DraftsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private HttpClient Approver(Guid company) =>
        Factory.ClientWithToken(SchedulerFactory.Token(new Claim("company_id", company.ToString()), new Claim("role", "approver")));

    private static async Task<Guid> DraftAsync(HttpClient client, Guid account, string content = "Idea")
    {
        var draft = await AssertOkAsync(
            await client.PostAsJsonAsync("/schedule-post", new { socialAccountId = account, content, runAt = Future(TimeSpan.FromHours(2)), draft = true }, Ct),
            HttpStatusCode.Created);
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, draft.GetProperty("nextAttemptAt").ValueKind);
        return draft.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task ADraft_SubmittedAndApprovedByAnApprover_EntersTheQueue_OthersMayNotApprove()
    {
        var company = Guid.CreateVersion7();
        var author = Factory.ClientFor(company);
        var account = await ConnectAsync(author, "facebook", "page-drafts");
        var id = await DraftAsync(author, account);

        var submitted = await AssertOkAsync(await author.PostAsync($"/scheduled-posts/{id}/submit", null, Ct));
        Assert.Equal("pending_approval", submitted.GetProperty("status").GetString());
        await AssertProblemAsync(await author.PostAsync($"/scheduled-posts/{id}/approve", null, Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await Approver(Guid.CreateVersion7()).PostAsync($"/scheduled-posts/{id}/approve", null, Ct), HttpStatusCode.NotFound);
        var waiting = await AssertOkAsync(await author.GetAsync("/scheduled-posts?status=pending_approval", Ct));
        Assert.Equal(id, Assert.Single(waiting.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        var approved = await AssertOkAsync(await Approver(company).PostAsync($"/scheduled-posts/{id}/approve", null, Ct));

        Assert.Equal("pending", approved.GetProperty("status").GetString());
        Assert.Equal(approved.GetProperty("runAt").GetDateTimeOffset(), approved.GetProperty("nextAttemptAt").GetDateTimeOffset());
        await AssertProblemAsync(await Approver(company).PostAsync($"/scheduled-posts/{id}/approve", null, Ct), HttpStatusCode.Conflict);
        var counts = (await AssertOkAsync(await author.GetAsync("/queue/health", Ct))).GetProperty("counts");
        Assert.Equal((1, 0, 0), (counts.GetProperty("pending").GetInt32(), counts.GetProperty("draft").GetInt32(), counts.GetProperty("pending_approval").GetInt32()));
    }

    [Fact]
    public async Task ARejectedPost_GoesBackToDraftWithTheReason_AndADraftCanBeScheduledWithoutApproval()
    {
        var company = Guid.CreateVersion7();
        var author = Factory.ClientFor(company);
        var account = await ConnectAsync(author, "facebook", "page-reject");
        var id = await DraftAsync(author, account);
        await AssertOkAsync(await author.PostAsync($"/scheduled-posts/{id}/submit", null, Ct));

        await AssertProblemAsync(
            await Approver(company).PostAsJsonAsync($"/scheduled-posts/{id}/reject", new { reason = "" }, Ct), HttpStatusCode.BadRequest);
        var rejected = await AssertOkAsync(await Approver(company).PostAsJsonAsync($"/scheduled-posts/{id}/reject", new { reason = "Wrong price" }, Ct));

        Assert.Equal("draft", rejected.GetProperty("status").GetString());
        Assert.Equal("Not approved: Wrong price", rejected.GetProperty("lastError").GetString());
        var edited = await AssertOkAsync(await author.PatchAsJsonAsync($"/scheduled-posts/{id}", new { content = "Right price" }, Ct));
        Assert.Equal("draft", edited.GetProperty("status").GetString());
        var scheduled = await AssertOkAsync(await author.PostAsync($"/scheduled-posts/{id}/schedule", null, Ct));
        Assert.Equal(("pending", "Right price"), (scheduled.GetProperty("status").GetString(), scheduled.GetProperty("content").GetString()));
        await AssertProblemAsync(await author.PostAsync($"/scheduled-posts/{id}/submit", null, Ct), HttpStatusCode.Conflict);
    }
}
