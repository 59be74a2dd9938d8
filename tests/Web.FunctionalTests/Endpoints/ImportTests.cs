using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>POST /scheduled-posts/import: JSON or CSV, row by row, all or nothing unless mode=valid.</summary>
public sealed class ImportTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<int> CountAsync(HttpClient client) =>
        (await AssertOkAsync(await client.GetAsync("/scheduled-posts?limit=200", Ct))).GetProperty("items").GetArrayLength();

    [Fact]
    public async Task AJsonImport_CreatesEveryRow_InOneGo()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-import");
        var member = await ConnectAsync(client, "linkedin", "urn:li:person:import");
        var rows = Enumerable.Range(0, 30).Select(i => new
        {
            socialAccountId = i % 2 == 0 ? page : member,
            content = $"Imported {i}",
            runAt = $"2030-02-{1 + (i % 28):00}T09:30",
            timeZone = "Europe/Paris",
        });

        var result = await AssertOkAsync(await client.PostAsJsonAsync("/scheduled-posts/import", rows, Ct));

        Assert.Equal(30, result.GetProperty("imported").GetInt32());
        Assert.Equal(Enumerable.Range(1, 30), result.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("row").GetInt32()));
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        Assert.Equal(30, await CountAsync(client));
        Assert.Equal(30, (await AssertOkAsync(await client.GetAsync("/queue/health", Ct))).GetProperty("counts").GetProperty("pending").GetInt32());
        var first = await AssertOkAsync(await client.GetAsync($"/scheduled-posts/{result.GetProperty("posts")[0].GetProperty("id").GetGuid()}", Ct));
        Assert.Equal(DateTimeOffset.Parse("2030-02-01T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("runAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ACsvImport_ReadsQuotedCells_MediaLists_AndDrafts()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-csv");
        var csv = $""""
            socialAccountId,content,runAt,timeZone,mediaUrls,draft
            {page},"Hello, world
            on two lines",2030-03-01T09:00,Europe/Paris,https://cdn.example/a.jpg|https://cdn.example/b.jpg,
            {page},"She said ""yes""",2030-03-02T09:00Z,,,true
            """";

        var result = await AssertOkAsync(await client.PostAsync("/scheduled-posts/import", Csv(csv), Ct));

        Assert.Equal(2, result.GetProperty("imported").GetInt32());
        var posts = (await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("Hello, world\non two lines", posts[0].GetProperty("content").GetString()!.ReplaceLineEndings("\n"));
        Assert.Equal(["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"], posts[0].GetProperty("mediaUrls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(("pending", "draft"), (posts[0].GetProperty("status").GetString(), posts[1].GetProperty("status").GetString()));
        Assert.Equal("She said \"yes\"", posts[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task OneBadRow_ImportsNothing_AndEveryBadRowIsReported()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-bad");
        var member = await ConnectAsync(client, "linkedin", "urn:li:person:bad");
        var rows = new object[]
        {
            new { socialAccountId = page, content = "Fine", runAt = "2030-04-01T09:00:00Z" },
            new { socialAccountId = page, content = "In the past", runAt = "2020-04-01T09:00:00Z" },
            new { socialAccountId = Guid.CreateVersion7(), content = "Nobody's", runAt = "2030-04-01T09:00:00Z" },
            new { socialAccountId = member, content = new string('x', 3_001), runAt = "2030-04-01T09:00:00Z" },
        };

        var problem = await AssertProblemAsync(await client.PostAsJsonAsync("/scheduled-posts/import", rows, Ct), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal(["rows[2].runAt", "rows[3].socialAccountId", "rows[4].content"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("in the future", errors.GetProperty("rows[2].runAt")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(client));

        var partial = await AssertOkAsync(await client.PostAsJsonAsync("/scheduled-posts/import?mode=valid", rows, Ct));

        Assert.Equal(1, partial.GetProperty("imported").GetInt32());
        Assert.Equal([2, 3, 4], partial.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()));
        Assert.Equal(1, await CountAsync(client));
    }

    [Fact]
    public async Task TooManyRows_AnUnknownFormat_OrABadHeader_Are4xx()
    {
        var client = Factory.ClientFor(Guid.CreateVersion7());
        var page = await ConnectAsync(client, "facebook", "page-limits");
        var many = Enumerable.Range(0, 10_001).Select(_ => new { socialAccountId = page, content = "x", runAt = "2030-04-01T09:00:00Z" });

        await AssertProblemAsync(await client.PostAsJsonAsync("/scheduled-posts/import", many, Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/scheduled-posts/import", new StringContent("<rows/>", Encoding.UTF8, "application/xml"), Ct), HttpStatusCode.UnsupportedMediaType);
        var header = await AssertProblemAsync(await client.PostAsync("/scheduled-posts/import", Csv("account,text\nx,y"), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("socialAccountId is required", header.GetProperty("errors").GetProperty("rows")[0].GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(await client.PostAsync("/scheduled-posts/import?mode=some", Csv($"socialAccountId\n{page}"), Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/scheduled-posts/import", new StringContent("{\"not\":\"an array\"}", Encoding.UTF8, "application/json"), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountAsync(client));
    }
}
