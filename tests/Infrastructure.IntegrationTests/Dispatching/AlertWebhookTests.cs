using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Infrastructure.Alerts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

public sealed class AlertWebhookTests(DatabaseFixture database) : IntegrationTest(database)
{
    private const string Secret = "webhook-secret-0123456789";

    private readonly WireMockServer _receiver = WireMockServer.Start();

    [Fact]
    public async Task AFinalFailure_IsPostedSigned_ToTheWebhook()
    {
        _receiver.Given(Request.Create().WithPath("/alerts").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));

        var result = await RunAsync(("Sandbox:FailureRates:Permanent", "1"));

        Assert.Equal(1, result.Failed);
        var call = Assert.Single(_receiver.LogEntries).RequestMessage;
        var timestamp = call.Headers!["X-Scheduler-Timestamp"].Single();
        Assert.Equal(WebhookAlertSink.Sign(Secret, timestamp, call.Body!), call.Headers["X-Scheduler-Signature"].Single());
        Assert.Equal("post_failed", call.Headers["X-Scheduler-Event"].Single());
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal("post_failed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(company, body.RootElement.GetProperty("alert").GetProperty("companyId").GetGuid());
        Assert.Contains("permanent", body.RootElement.GetProperty("alert").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(WebhookAlertSink.Sign("another-secret-123456", timestamp, call.Body!), call.Headers["X-Scheduler-Signature"].Single());
    }

    [Fact]
    public void TheSignature_MatchesAKnownAnswer()
    {
        // HMAC-SHA256 of "{timestamp}.{body}" with the secret, computed outside this code base.
        const string expected = "sha256=f4432126143e2731630901993391f1966d252de751c0afaea6faea63f90e796b";

        Assert.Equal(expected, WebhookAlertSink.Sign(Secret, "1767225600", """{"type":"post_failed"}"""));
    }

    [Fact]
    public async Task AFailingWebhook_NeverFailsTheDispatcher()
    {
        _receiver.Given(Request.Create().WithPath("/alerts").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -1));

        var result = await RunAsync(("Sandbox:FailureRates:AuthInvalid", "1"));

        Assert.Equal(2, result.Failed);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM post_details WHERE status = 'failed'"));
        Assert.Equal(3, _receiver.LogEntries.Count); // two post alerts and one account alert, each tried once
    }

    public override ValueTask DisposeAsync()
    {
        _receiver.Stop();
        _receiver.Dispose();
        return base.DisposeAsync();
    }

    private async Task<ProcessDueJobsResult> RunAsync(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(
            Database.ConnectionString,
            [("Alerts:Webhook:Url", $"{_receiver.Url}/alerts"), ("Alerts:Webhook:Secret", Secret), .. settings])).Build();
        await using var services = DatabaseFixture.BuildServices(configuration);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
    }
}
