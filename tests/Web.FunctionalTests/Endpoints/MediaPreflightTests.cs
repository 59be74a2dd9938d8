using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Infrastructure.Media;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>
/// Media checked when a post is scheduled: the host is asked (one ranged GET) and the file held against the
/// platform's rules. The media host is a local fake that <c>https://media.test/…</c> is routed to.
/// </summary>
public sealed class MediaPreflightTests : FunctionalTest, IDisposable
{
    private readonly WireMockServer _media = WireMockServer.Start();
    private readonly WebApplicationFactory<Program> _app;

    public MediaPreflightTests(SchedulerFactory factory) : base(factory)
    {
        _app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("MediaPreflight:Enabled", "true");
            builder.UseSetting("MediaPreflight:TimeoutSeconds", "1");
            builder.ConfigureServices(services => services.AddHttpClient(HttpMediaProbe.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new ToFake(_media.Url!)));
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _media.Stop();
        _media.Dispose();
    }

    /// <summary>A PNG of the given size: signature, IHDR and IEND (no pixels: the probe reads only the header).</summary>
    private static byte[] Png(int width, int height)
    {
        byte[] head = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        var size = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(size, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(size.AsSpan(4), height);
        return [.. head, .. size, 8, 6, 0, 0, 0, 0x6D, 0x7C, 0x35, 0x4F, 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];
    }

    private void File(string path, string type, byte[] body, long? total = null) =>
        _media.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(total is null ? 200 : 206).WithHeader("Content-Type", type)
                .WithHeader("Content-Range", $"bytes 0-{body.Length - 1}/{total ?? body.Length}").WithBody(body));

    private HttpClient Client(Guid company)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", SchedulerFactory.Token(new Claim("company_id", company.ToString())));
        return client;
    }

    private static Task<HttpResponseMessage> ScheduleAsync(HttpClient client, Guid account, params string[] media) =>
        client.PostAsJsonAsync("/schedule-post", new
        {
            socialAccountId = account,
            content = "Preflight",
            media = media.Select(url => new { url }).ToArray(),
            runAt = Future(TimeSpan.FromHours(1)),
        }, Ct);

    [Fact]
    public async Task AFileBreakingThePlatformsRules_Is400NamingTheMediaAndTheRule_AndNothingIsWritten()
    {
        File("/wide.png", "image/png", Png(3000, 1000));
        File("/big.jpg", "image/jpeg", new byte[1024], total: 9L * 1024 * 1024);
        var client = Client(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "instagram", "ig-preflight");

        var response = await ScheduleAsync(client, account, "https://media.test/wide.png", "https://media.test/big.jpg");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        var wide = string.Join(" ", errors.GetProperty("media[0]").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("JPEG images only", wide, StringComparison.Ordinal);
        Assert.Contains("aspect ratio from 4:5 to 1.91:1; this one is 3000×1000", wide, StringComparison.Ordinal);
        Assert.Contains("up to 8 MiB; this one is 9 MiB", errors.GetProperty("media[1]")[0].GetString(), StringComparison.Ordinal);
        var list = await AssertOkAsync(await client.GetAsync("/scheduled-posts", Ct));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AFileOfTheWrongKind_IsRefused()
    {
        File("/page.jpg", "text/html; charset=utf-8", "<html></html>"u8.ToArray());
        var client = Client(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "fb-preflight");

        var problem = await AssertProblemAsync(await ScheduleAsync(client, account, "https://media.test/page.jpg"), HttpStatusCode.BadRequest);

        Assert.Contains("it is text/html, not an image", problem.GetProperty("errors").GetProperty("media[0]")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileThatPasses_IsAccepted_AndAnUnreachableOneIsOnlyAWarning()
    {
        File("/fine.png", "image/png", Png(1080, 1080));
        _media.Given(Request.Create().WithPath("/later.jpg").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        var client = Client(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "facebook", "fb-ok");

        var post = await AssertOkAsync(await ScheduleAsync(client, account, "https://media.test/fine.png", "https://media.test/later.jpg"), HttpStatusCode.Created);

        var warning = Assert.Single(post.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("media[1] (https://media.test/later.jpg) could not be checked now: its host answered HTTP 404", warning, StringComparison.Ordinal);
        var ranges = _media.LogEntries.Select(e => e.RequestMessage.Headers!["Range"].Single()).ToList();
        Assert.All(ranges, r => Assert.Equal($"bytes=0-{HttpMediaProbe.HeadBytes - 1}", r));
    }

    [Fact]
    public async Task AnEditWithNewMedia_IsCheckedToo()
    {
        File("/photo.jpg", "image/jpeg", new byte[64]);
        File("/edit.png", "image/png", Png(1080, 1080));
        var client = Client(Guid.CreateVersion7());
        var account = await ConnectAsync(client, "instagram", "ig-edit");
        var post = await AssertOkAsync(await ScheduleAsync(client, account, "https://media.test/photo.jpg"), HttpStatusCode.Created);

        var response = await client.PatchAsJsonAsync(
            $"/scheduled-posts/{post.GetProperty("id").GetGuid()}", new { mediaUrls = new[] { "https://media.test/edit.png" } }, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JPEG images only", problem.GetProperty("errors").GetProperty("mediaUrls[0]")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMediaUrlOnTheServersOwnNetwork_IsRefused_NotFetched()
    {
        await using var app = Factory.WithWebHostBuilder(builder => builder.UseSetting("MediaPreflight:Enabled", "true"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", SchedulerFactory.Token(new Claim("company_id", Guid.CreateVersion7().ToString())));
        var account = await ConnectAsync(client, "facebook", "fb-ssrf");

        var problem = await AssertProblemAsync(await ScheduleAsync(client, account, "https://127.0.0.1/latest/meta-data.jpg"), HttpStatusCode.BadRequest);

        Assert.Contains("not on the public internet", problem.GetProperty("errors").GetProperty("media[0]")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>Sends https://media.test/… to the local fake over http.</summary>
    private sealed class ToFake(string fake) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(new Uri(fake), request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
