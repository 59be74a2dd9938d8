using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Scheduler.Web.FunctionalTests.Endpoints;

public sealed class ScheduledPostsTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    [Fact]
    public async Task SchedulePost_Valid_Answers201WithLocationAndThePost()
    {
        var company = Guid.CreateVersion7();
        var client = Factory.ClientFor(company);
        var account = await ConnectAsync(client);

        var response = await client.PostAsJsonAsync("/schedule-post", new
        {
            socialAccountId = account,
            content = "Hello world",
            mediaUrls = new[] { "https://cdn.example/a.jpg" },
            link = "https://example.com",
            runAt = "2030-01-05T09:30",
            timeZone = "Europe/Paris",
        }, Ct);

        var post = await AssertOkAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/scheduled-posts/{post.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal("2030-01-05T08:30:00+00:00", post.GetProperty("runAt").GetString());
        Assert.Equal("pending", post.GetProperty("status").GetString());
        Assert.Equal("facebook", post.GetProperty("platform").GetString());
        Assert.Equal(company, post.GetProperty("companyId").GetGuid());
        Assert.Equal(0, post.GetProperty("attempts").GetInt32());
        Assert.Equal(3, post.GetProperty("maxAttempts").GetInt32());
        foreach (var field in new[] { "clientId", "publishedAt", "externalPostId", "lastError", "createdAt", "updatedAt" })
        {
            Assert.True(post.TryGetProperty(field, out _), $"the post has {field}");
        }
    }

    public static TheoryData<string, string, string> BadSchedules() => new()
    {
        { "runAt", """{"socialAccountId":"{A}","content":"x","runAt":"2030-01-05T09:30"}""", "no UTC offset" },
        { "runAt", """{"socialAccountId":"{A}","content":"x","runAt":"2020-01-05T09:30:00Z"}""", "in the future" },
        { "runAt", """{"socialAccountId":"{A}","content":"x","runAt":"2030-03-31T02:30","timeZone":"Europe/Paris"}""", "daylight-saving gap" },
        { "timeZone", """{"socialAccountId":"{A}","content":"x","runAt":"2030-01-05T09:30","timeZone":"Nowhere/Land"}""", "IANA" },
        { "content", """{"socialAccountId":"{A}","runAt":"2030-01-05T09:30:00Z"}""", "must not be empty" },
        { "socialAccountId", """{"content":"x","runAt":"2030-01-05T09:30:00Z"}""", "must not be empty" },
        { "mediaUrls[0]", """{"socialAccountId":"{A}","content":"x","runAt":"2030-01-05T09:30:00Z","mediaUrls":["http://insecure.example/a.jpg"]}""", "https" },
        { "content", "{\"socialAccountId\":\"{A}\",\"content\":\"" + new string('a', 63_207) + "\",\"runAt\":\"2030-01-05T09:30:00Z\"}", "63,206" },
        { "media", """{"socialAccountId":"{A}","content":"x","runAt":"2030-01-05T09:30:00Z","mediaUrls":["https://cdn.example/a.jpg"],"media":[{"url":"https://cdn.example/a.jpg"}]}""", "not both" },
        { "media[0]", """{"socialAccountId":"{A}","content":"x","runAt":"2030-01-05T09:30:00Z","media":[{"url":"ftp://cdn.example/a.jpg"}]}""", "https" },
        { "media[0]", "{\"socialAccountId\":\"{A}\",\"content\":\"x\",\"runAt\":\"2030-01-05T09:30:00Z\",\"media\":[{\"url\":\"https://cdn.example/a.jpg\",\"altText\":\"" + new string('a', 1_001) + "\"}]}", "1,000" },
        { "content", """{"socialAccountId":"{A}","runAt":"2030-01-05T09:30:00Z","format":"story","media":[{"url":"https://cdn.example/a.jpg"},{"url":"https://cdn.example/b.jpg"}]}""", "exactly one image or one video" },
        { "content", """{"socialAccountId":"{A}","content":"x","runAt":"2030-01-05T09:30:00Z","media":[{"url":"https://cdn.example/deck.pdf"}]}""", "documents" },
    };

    [Fact]
    public async Task SchedulePost_WithMediaItems_KeepsTheirKindAndAltText_AndAStoryNeedsNoText()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);

        var feed = await AssertOkAsync(await client.PostAsJsonAsync("/schedule-post", new
        {
            socialAccountId = account,
            content = "Two views",
            media = new object[]
            {
                new { url = "https://cdn.example/a.jpg", altText = "A red bicycle against a wall" },
                new { url = "https://cdn.example/render", kind = "image" },
            },
            runAt = Future(TimeSpan.FromHours(1)),
        }, Ct), HttpStatusCode.Created);
        var story = await AssertOkAsync(await client.PostAsJsonAsync("/schedule-post", new
        {
            socialAccountId = account,
            format = "story",
            media = new[] { new { url = "https://cdn.example/clip.mp4" } },
            runAt = Future(TimeSpan.FromHours(1)),
        }, Ct), HttpStatusCode.Created);

        var read = await AssertOkAsync(await client.GetAsync($"/scheduled-posts/{feed.GetProperty("id").GetGuid()}", Ct));
        var media = read.GetProperty("media");
        Assert.Equal(("https://cdn.example/a.jpg", "image", "A red bicycle against a wall"),
            (media[0].GetProperty("url").GetString(), media[0].GetProperty("kind").GetString(), media[0].GetProperty("altText").GetString()));
        Assert.False(media[1].TryGetProperty("altText", out var none) && none.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal(["https://cdn.example/a.jpg", "https://cdn.example/render"], read.GetProperty("mediaUrls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("post", read.GetProperty("format").GetString());
        Assert.Equal(("story", "video", ""),
            (story.GetProperty("format").GetString(), story.GetProperty("media")[0].GetProperty("kind").GetString(), story.GetProperty("content").GetString()));
    }

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public async Task SchedulePost_Invalid_Answers400NamingTheFieldAndWritesNothing(string field, string json, string message)
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);

        var response = await client.PostAsync(
            "/schedule-post", new StringContent(json.Replace("{A}", account.ToString(), StringComparison.Ordinal), Encoding.UTF8, "application/json"), Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors has {field}: {errors}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        var list = await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("{not json", "JSON")]
    [InlineData("""{"socialAccountId":"not-a-uuid","content":"x","runAt":"2030-01-05T09:30:00Z"}""", "socialAccountId")]
    [InlineData("""{"socialAccountId":42,"content":"x","runAt":"2030-01-05T09:30:00Z"}""", "socialAccountId")]
    public async Task SchedulePost_MalformedBody_Answers400ProblemDetails(string body, string detail)
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var response = await client.PostAsync("/schedule-post", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulePost_InstagramWithoutImage_Answers400()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "instagram", "ig-1");
        var response = await client.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = account, content = "caption", runAt = Future(TimeSpan.FromHours(1)) }, Ct);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("image", problem.GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulePost_UnknownAccount_Answers404()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var response = await client.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = Guid.CreateVersion7(), content = "x", runAt = Future(TimeSpan.FromHours(1)) }, Ct);
        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SchedulePost_BodyOverOneMebibyte_Answers413()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var body = "{\"content\":\"" + new string('a', 1024 * 1024 + 10) + "\"}";
        var response = await client.PostAsync("/schedule-post", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task GetPost_Answers200_404_AndRejectsAMalformedId()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var post = await ScheduleAsync(client, await ConnectAsync(client));
        var id = post.GetProperty("id").GetGuid();

        var read = await AssertOkAsync(await client.GetAsync($"/scheduled-posts/{id}", Ct));
        foreach (var field in post.EnumerateObject())
        {
            Assert.Equal(field.Value.ToString(), read.GetProperty(field.Name).ToString());
        }

        Assert.Equal(0, read.GetProperty("attemptHistory").GetArrayLength());
        await AssertProblemAsync(await client.GetAsync($"/scheduled-posts/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync("/scheduled-posts/not-a-uuid", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListPosts_PagesWithACursorAndFilters()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);
        for (var i = 0; i < 5; i++)
        {
            await ScheduleAsync(client, account, $"post {i}");
        }

        var first = await AssertOkAsync(await client.GetAsync("/scheduled-posts?limit=2", Ct));
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await AssertOkAsync(await client.GetAsync($"/scheduled-posts?limit=2&cursor={cursor}", Ct));
        var third = await AssertOkAsync(await client.GetAsync($"/scheduled-posts?limit=2&cursor={second.GetProperty("nextCursor").GetString()}", Ct));
        Assert.Equal(1, third.GetProperty("items").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);

        var pending = await AssertOkAsync(await client.GetAsync($"/scheduled-posts?status=pending&socialAccountId={account}", Ct));
        Assert.Equal(5, pending.GetProperty("items").GetArrayLength());
        var published = await AssertOkAsync(await client.GetAsync("/scheduled-posts?status=published", Ct));
        Assert.Equal(0, published.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=500", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("clientId=nope", "clientId")]
    public async Task ListPosts_BadFilter_Answers400(string query, string mentioned)
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var problem = await AssertProblemAsync(await client.GetAsync($"/scheduled-posts?{query}", Ct), HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, problem.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Patch_ReschedulesAndEditsAPendingPost_AndConflictsOnceCancelled()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var post = await ScheduleAsync(client, await ConnectAsync(client));
        var id = post.GetProperty("id").GetGuid();

        var patched = await AssertOkAsync(await client.PatchAsJsonAsync(
            $"/scheduled-posts/{id}", new { runAt = "2031-06-01T12:00:00+02:00", content = "Edited" }, Ct));
        Assert.Equal("2031-06-01T10:00:00+00:00", patched.GetProperty("runAt").GetString());
        Assert.Equal("Edited", patched.GetProperty("content").GetString());

        await AssertProblemAsync(
            await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { runAt = "2001-01-01T00:00:00Z" }, Ct),
            HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { }, Ct), HttpStatusCode.BadRequest);

        await AssertOkAsync(await client.DeleteAsync($"/scheduled-posts/{id}", Ct));
        var conflict = await AssertProblemAsync(
            await client.PatchAsJsonAsync($"/scheduled-posts/{id}", new { content = "Too late" }, Ct), HttpStatusCode.Conflict);
        Assert.Contains("cancelled", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_CancelsAPendingPost_ThenConflicts_AndUnknownIs404()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var id = (await ScheduleAsync(client, await ConnectAsync(client))).GetProperty("id").GetGuid();

        var cancelled = await AssertOkAsync(await client.DeleteAsync($"/scheduled-posts/{id}", Ct));

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await AssertProblemAsync(await client.DeleteAsync($"/scheduled-posts/{id}", Ct), HttpStatusCode.Conflict);
        await AssertProblemAsync(await client.DeleteAsync($"/scheduled-posts/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_WhilePublished_Conflicts()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var id = (await ScheduleAsync(client, await ConnectAsync(client))).GetProperty("id").GetGuid();
        await ExecuteSqlAsync("UPDATE post_details SET status = 'published', external_post_id = '1_2'");
        await ExecuteSqlAsync("UPDATE post_schedule SET status = 'done'");

        var problem = await AssertProblemAsync(await client.DeleteAsync($"/scheduled-posts/{id}", Ct), HttpStatusCode.Conflict);
        Assert.Contains("published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_PutsAFailedPostBackInTheQueue_AndConflictsWhenNotFailed()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var id = (await ScheduleAsync(client, await ConnectAsync(client))).GetProperty("id").GetGuid();
        await AssertProblemAsync(await client.PostAsync($"/scheduled-posts/{id}/retry", null, Ct), HttpStatusCode.Conflict);

        await ExecuteSqlAsync("UPDATE post_details SET status = 'failed', error_message = 'boom'");
        await ExecuteSqlAsync("UPDATE post_schedule SET status = 'failed', attempts = 3, last_error = 'boom'");
        var retried = await AssertOkAsync(await client.PostAsync($"/scheduled-posts/{id}/retry", null, Ct));

        Assert.Equal("pending", retried.GetProperty("status").GetString());
        Assert.Equal(0, retried.GetProperty("attempts").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, retried.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task AnUnexpectedFailure_Is500WithoutDetails_AndLoggedOnce()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var account = await ConnectAsync(client);
        await ExecuteSqlAsync("""
            CREATE TRIGGER fail_web_insert BEFORE INSERT ON post_schedule FOR EACH ROW
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'forced web failure'
            """);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync(
                "/schedule-post", new { socialAccountId = account, content = "x", runAt = Future(TimeSpan.FromHours(1)) }, Ct);
        }
        finally
        {
            await ExecuteSqlAsync("DROP TRIGGER IF EXISTS fail_web_insert");
        }

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("forced web failure", problem.ToString(), StringComparison.Ordinal);
        Assert.Single(Factory.Logs, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("forced web failure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APostDueAfterTheAccountsTokenExpires_IsAccepted_WithAWarning()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var expires = DateTimeOffset.UtcNow.AddDays(2);
        var account = (await AssertOkAsync(await client.PostAsJsonAsync("/social-accounts", new
        {
            platform = "facebook", externalAccountId = "expiring-page", displayName = "Expiring", accessToken = "t", tokenExpiresAt = expires,
        }, Ct), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var late = await AssertOkAsync(await client.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = account, content = "late", runAt = Future(TimeSpan.FromDays(3)) }, Ct), HttpStatusCode.Created);
        var early = await AssertOkAsync(await client.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = account, content = "early", runAt = Future(TimeSpan.FromDays(1)) }, Ct), HttpStatusCode.Created);

        Assert.Contains("token expires at", Assert.Single(late.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, early.GetProperty("warnings").ValueKind);
    }
}
