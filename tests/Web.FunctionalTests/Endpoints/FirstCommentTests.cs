using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>A comment published under the post right after it: scheduled, edited, checked per platform, shown with its own outcome.</summary>
public sealed class FirstCommentTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static string? Text(JsonElement post, string property) =>
        post.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    [Fact]
    public async Task APostWithAFirstComment_ShowsItPending_AndAnEditChangesOrRemovesIt()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-comment");

        var post = await AssertOkAsync(
            await client.PostAsJsonAsync(
                "/schedule-post",
                new { socialAccountId = page, content = "New menu today", runAt = Future(TimeSpan.FromHours(2)), firstComment = "Full menu: https://example.com/menu" },
                Ct),
            HttpStatusCode.Created);
        var id = post.GetProperty("id").GetGuid();

        Assert.Equal(("Full menu: https://example.com/menu", "pending"), (Text(post, "firstComment"), Text(post, "firstCommentStatus")));
        Assert.Null(Text(post, "firstCommentId"));

        var edited = await AssertOkAsync(await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { firstComment = "Menu: https://example.com/m" }, Ct));
        Assert.Equal(("New menu today", "Menu: https://example.com/m"), (Text(edited, "content"), Text(edited, "firstComment")));

        var removed = await AssertOkAsync(await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { firstComment = "" }, Ct));
        Assert.Equal((null, null), (Text(removed, "firstComment"), Text(removed, "firstCommentStatus")));
        Assert.Null(Text(await AssertOkAsync(await client.GetAsync($"/scheduled-posts/{id}", Ct)), "firstComment"));
    }

    [Fact]
    public async Task ACommentThePlatformWouldRefuse_Is400OnFirstComment_AndCreatesNothing()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var member = await ConnectAsync(client, "linkedin", "urn:li:person:comment");
        var page = await ConnectAsync(client, "facebook", "page-story");
        var runAt = Future(TimeSpan.FromHours(2));

        var tooLong = await AssertProblemAsync(
            await client.PostAsJsonAsync("/schedule-post", new { socialAccountId = member, content = "Hi", runAt, firstComment = new string('x', 1_251) }, Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains("1,250", tooLong.GetProperty("errors").GetProperty("firstComment")[0].GetString(), StringComparison.Ordinal);

        var story = await AssertProblemAsync(
            await client.PostAsJsonAsync(
                "/schedule-post",
                new { socialAccountId = page, content = "", runAt, format = "story", mediaUrls = new[] { "https://cdn.example/a.jpg" }, firstComment = "Hi" },
                Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains("story", story.GetProperty("errors").GetProperty("firstComment")[0].GetString(), StringComparison.Ordinal);

        var blank = await AssertProblemAsync(
            await client.PostAsJsonAsync("/schedule-post", new { socialAccountId = page, content = "Hi", runAt, firstComment = "   " }, Ct),
            HttpStatusCode.BadRequest);
        Assert.True(blank.GetProperty("errors").TryGetProperty("firstComment", out _));

        var series = await AssertProblemAsync(
            await client.PostAsJsonAsync(
                "/schedule-post",
                new
                {
                    socialAccountId = member, content = "Weekly tip", runAt = "2030-03-18T09:30", timeZone = "Europe/Paris",
                    recurrence = new { frequency = "weekly", count = 4 }, firstComment = new string('x', 1_251),
                },
                Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains("1,250", series.GetProperty("errors").GetProperty("firstComment")[0].GetString(), StringComparison.Ordinal);

        Assert.Empty((await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AGroup_SharesItsComment_ExceptWhereAVariantGivesAnother()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-g");
        var member = await ConnectAsync(client, "linkedin", "urn:li:person:g2");

        var group = await AssertOkAsync(
            await client.PostAsJsonAsync(
                "/schedule-post",
                new
                {
                    socialAccountIds = new[] { page, member },
                    content = "Launch day",
                    runAt = Future(TimeSpan.FromHours(2)),
                    firstComment = "Details: https://example.com/launch",
                    variants = new[] { new { socialAccountId = member, firstComment = "Details for professionals: https://example.com/b2b" } },
                },
                Ct),
            HttpStatusCode.Created);

        var posts = group.GetProperty("posts").EnumerateArray().ToList();
        Assert.Equal(["Launch day", "Launch day"], posts.Select(p => Text(p, "content")));
        Assert.Equal(
            ["Details: https://example.com/launch", "Details for professionals: https://example.com/b2b"],
            posts.Select(p => Text(p, "firstComment")));
    }

    [Fact]
    public async Task ACsvImport_ReadsTheFirstCommentColumn_AnEmptyCellMeaningNone()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-csv-comment");
        var csv = $"""
            socialAccountId,content,runAt,firstComment
            {page},With a comment,2030-03-01T09:00:00Z,"Link: https://example.com, and more"
            {page},Without,2030-03-02T09:00:00Z,
            """;

        var result = await AssertOkAsync(await client.PostAsync("/scheduled-posts/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct));

        Assert.Equal(2, result.GetProperty("imported").GetInt32());
        var posts = (await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Link: https://example.com, and more", null], posts.Select(p => Text(p, "firstComment")));
    }

    [Fact]
    public async Task APublishedPostWhoseCommentFailed_ShowsBothOutcomes()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-outcome");
        var id = (await ScheduleAsync(client, page, "Hi", "More below")).GetProperty("id").GetGuid();
        var key = $"UNHEX(REPLACE('{id}', '-', ''))";
        await ExecuteSqlAsync($"""
            UPDATE post_details SET status = 'published', external_post_id = '1_2', published_at = UTC_TIMESTAMP(6),
              first_comment_status = 'failed', first_comment_error = '(#200) Permissions error' WHERE id = {key};
            UPDATE post_schedule SET status = 'done' WHERE post_detail_id = {key}
            """);

        var post = await AssertOkAsync(await client.GetAsync($"/scheduled-posts/{id}", Ct));

        Assert.Equal(("published", "1_2"), (Text(post, "status"), Text(post, "externalPostId")));
        Assert.Equal(("failed", "(#200) Permissions error"), (Text(post, "firstCommentStatus"), Text(post, "firstCommentError")));
        Assert.Null(Text(post, "lastError"));
        await AssertProblemAsync(await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { firstComment = "Again" }, Ct), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheCommentInRequestsAndAnswers()
    {
        var schemas = (await AssertOkAsync(await Factory.CreateClient().GetAsync("/openapi/v1.json", Ct)))
            .GetProperty("components").GetProperty("schemas");

        Assert.True(schemas.GetProperty("SchedulePostRequest").GetProperty("properties").TryGetProperty("firstComment", out _));
        Assert.True(schemas.GetProperty("ReschedulePostRequest").GetProperty("properties").TryGetProperty("firstComment", out _));
        Assert.True(schemas.GetProperty("PostVariant").GetProperty("properties").TryGetProperty("firstComment", out _));
        var post = schemas.GetProperty("PostDto").GetProperty("properties");
        foreach (var field in new[] { "firstComment", "firstCommentStatus", "firstCommentId", "firstCommentError" })
        {
            Assert.True(post.TryGetProperty(field, out _), $"PostDto.{field} is described");
        }
    }

    [Fact]
    public async Task AnEditThePlatformWouldRefuse_Is400OnItsField_AndChangesNothing()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var member = await ConnectAsync(client, "linkedin", "urn:li:person:edit");
        var id = (await ScheduleAsync(client, member, "Hi", "Short")).GetProperty("id").GetGuid();

        var comment = await AssertProblemAsync(
            await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { firstComment = new string('x', 1_251) }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("1,250", comment.GetProperty("errors").GetProperty("firstComment")[0].GetString(), StringComparison.Ordinal);
        var content = await AssertProblemAsync(
            await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { content = new string('x', 3_001) }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("3,000", content.GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);

        var post = await AssertOkAsync(await client.GetAsync($"/scheduled-posts/{id}", Ct));
        Assert.Equal(("Hi", "Short"), (Text(post, "content"), Text(post, "firstComment")));
    }
}
