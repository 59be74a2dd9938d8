using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>The <c>Idempotency-Key</c> header on the routes that create or change something.</summary>
public sealed class IdempotencyTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static HttpRequestMessage Post(string path, object body, string key) => new(HttpMethod.Post, path)
    {
        Content = JsonContent.Create(body),
        Headers = { { "Idempotency-Key", key } },
    };

    private static async Task<long> PostsAsync(HttpClient client) =>
        (await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct))).GetProperty("items").GetArrayLength();

    [Fact]
    public async Task TheSameKeyAndBodyAgain_AnswersTheFirstStatusAndBody_WithoutASecondPost()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);
        var body = new { socialAccountId = account, content = "Once", runAt = Future(TimeSpan.FromHours(1)) };

        var first = await client.SendAsync(Post("/schedule-post", body, "order-42"), Ct);
        var again = await client.SendAsync(Post("/schedule-post", body, "order-42"), Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, await PostsAsync(client));
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBody_Is422_AndChangesNothing()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);
        await AssertOkAsync(await client.SendAsync(Post("/schedule-post", new { socialAccountId = account, content = "A", runAt = Future(TimeSpan.FromHours(1)) }, "k-1"), Ct), HttpStatusCode.Created);

        var other = await client.SendAsync(Post("/schedule-post", new { socialAccountId = account, content = "B", runAt = Future(TimeSpan.FromHours(1)) }, "k-1"), Ct);

        var problem = await AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("k-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await PostsAsync(client));
    }

    [Fact]
    public async Task RacingDuplicates_CreateOnePost_AndEachAnswerIsTheFirstOrA409()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);
        var body = new { socialAccountId = account, content = "Race", runAt = Future(TimeSpan.FromHours(1)) };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(Post("/schedule-post", body, "race-1"), Ct)));

        Assert.Equal(1, await PostsAsync(client));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = await Task.WhenAll(created.Select(async a => JsonDocument.Parse(await a.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        foreach (var conflict in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("still in progress", (await AssertProblemAsync(conflict, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AReplay_AnswersTheFirstResponse_EvenOnceItsTimeHasPassed()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);
        var body = new { socialAccountId = account, content = "Soon", runAt = Future(TimeSpan.FromSeconds(2)) };
        var first = await AssertOkAsync(await client.SendAsync(Post("/schedule-post", body, "soon-1"), Ct), HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);

        var replay = await AssertOkAsync(await client.SendAsync(Post("/schedule-post", body, "soon-1"), Ct), HttpStatusCode.Created);

        Assert.Equal(first.GetProperty("id").GetGuid(), replay.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task AFailedRequest_GivesItsKeyUp_SoTheCorrectedOneRuns()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());

        await AssertProblemAsync(await client.SendAsync(Post("/clients", new { name = "" }, "client-1"), Ct), HttpStatusCode.BadRequest);
        var created = await client.SendAsync(Post("/clients", new { name = "Bakery" }, "client-1"), Ct);

        await AssertOkAsync(created, HttpStatusCode.Created);
    }

    [Fact]
    public async Task KeysBelongToACompany_AndCoverDeleteToo()
    {
        var one = Factory.ClientFor(Guid.CreateVersion7());
        var two = Factory.ClientFor(Guid.CreateVersion7());
        var post = await ScheduleAsync(one, await ConnectAsync(one));
        await AssertOkAsync(await two.SendAsync(Post("/clients", new { name = "Same key, other company" }, "shared"), Ct), HttpStatusCode.Created);
        await AssertOkAsync(await one.SendAsync(Post("/clients", new { name = "Same key, other company" }, "shared"), Ct), HttpStatusCode.Created);

        HttpRequestMessage Delete() => new(HttpMethod.Delete, $"/scheduled-posts/{post.GetProperty("id").GetGuid()}") { Headers = { { "Idempotency-Key", "cancel-1" } } };
        var cancelled = await AssertOkAsync(await one.SendAsync(Delete(), Ct));
        var cancelledAgain = await AssertOkAsync(await one.SendAsync(Delete(), Ct)); // without the key: 409 (already cancelled)

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(cancelled.ToString(), cancelledAgain.ToString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("k12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public async Task AMalformedKey_Is400(string key)
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/clients") { Content = JsonContent.Create(new { name = "x" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var problem = await AssertProblemAsync(await client.SendAsync(request, Ct), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }
}
