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
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL AND attempts = 1 AND last_error LIKE '%HTTP 500%'"));
    }

    [Fact]
    public async Task AReceiverThatIsDown_LosesNothing_AndEachAttemptCarriesTheSameDeliveryId()
    {
        _receiver.Given(Request.Create().WithPath("/alerts").UsingPost()).InScenario("down").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _receiver.Given(Request.Create().WithPath("/alerts").UsingPost()).InScenario("down").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(204));
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));

        await RunAsync(("Sandbox:FailureRates:Permanent", "1"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE type = 'post_failed' AND delivered_at IS NULL AND attempts = 1"));

        // The receiver is back; the retry falls due.
        await ExecuteAsync("UPDATE alert_outbox SET next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND");
        await using var services = Services();
        await services.GetRequiredService<AlertOutboxSender>().DeliverDueAsync(Ct);

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NOT NULL AND attempts = 2"));
        var deliveries = _receiver.LogEntries.Select(e => e.RequestMessage.Headers!["X-Scheduler-Delivery"].Single()).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.Single(deliveries.Distinct());
        var id = Guid.Parse(deliveries[0]);
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM alert_outbox WHERE id = UNHEX('{Convert.ToHexString(id.ToByteArray(bigEndian: true))}')"));
    }

    [Fact]
    public async Task TheAlert_IsWrittenInTheTransactionOfTheFailureItReports()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 1, dueInSeconds: -1));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(
            Database.ConnectionString, [("Sandbox:FailureRates:Permanent", "1")])).Build();
        await using var services = DatabaseFixture.BuildServices(configuration);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
        }

        // No sender has run: the row is there because the failure was committed, and only then.
        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM alert_outbox o JOIN post_details d ON d.status = 'failed'
            WHERE o.type = 'post_failed' AND o.delivered_at IS NULL AND o.attempts = 0 AND JSON_VALUE(o.payload, '$.postId') = LOWER(CONCAT(
              SUBSTR(HEX(d.id), 1, 8), '-', SUBSTR(HEX(d.id), 9, 4), '-', SUBSTR(HEX(d.id), 13, 4), '-', SUBSTR(HEX(d.id), 17, 4), '-', SUBSTR(HEX(d.id), 21)))
            """));
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
        ProcessDueJobsResult result;
        await using (var scope = services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct);
        }

        await services.GetRequiredService<AlertOutboxSender>().DeliverDueAsync(Ct);
        return result;
    }

    private ServiceProvider Services() => DatabaseFixture.BuildServices(new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(
        Database.ConnectionString, [("Alerts:Webhook:Url", $"{_receiver.Url}/alerts"), ("Alerts:Webhook:Secret", Secret)])).Build());
}
