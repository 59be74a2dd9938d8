using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Scheduler.Application.Common.Metrics;
using Scheduler.Application.Dispatching.ProcessDueJobs;
using Scheduler.Infrastructure.IntegrationTests.Dispatching;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>The dispatcher's spans, collected by OpenTelemetry's in-memory exporter around a live publish to a fake Graph API.</summary>
public sealed class TracingTests(DatabaseFixture database) : IntegrationTest(database)
{
    private readonly WireMockServer _graph = WireMockServer.Start();

    [Fact]
    public async Task EachDispatch_IsATrace_FromPublishToFinish_WithThePostThePlatformAndTheOutcome_LinkedToItsClaim()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company, externalId: "7000");
        await ExecuteAsync(QueueSeed.Posts(company, account.Id, 2, dueInSeconds: -1));
        _graph.Given(Request.Create().WithPath("/v26.0/7000/feed").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"id":"7000_{{Random Type="Integer" Min=1 Max=999999999}}"}""").WithTransformer());
        _graph.Given(Request.Create().WithPath(new WildcardMatcher("/v26.0/7000_*")).UsingPost())
            .RespondWith(Response.Create().WithBody("""{"success":true}"""));
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(SchedulerTracing.SourceName)
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DatabaseFixture.Settings(Database.ConnectionString, [("Publishing:Mode", "Live"), ("Platforms:Facebook:BaseUrl", _graph.Url)]))
            .Build();
        await using var worker = DatabaseFixture.BuildServices(configuration);

        await using (var scope = worker.CreateAsyncScope())
        {
            Assert.Equal(2, (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessDueJobsCommand(), Ct)).Published);
        }

        tracing.ForceFlush();
        // One account publishes one post at a time: each post is claimed on its own.
        var claims = spans.Where(s => s.OperationName == SchedulerTracing.Claim && (int)s.GetTagItem(SchedulerTracing.CountTag)! == 1).ToList();
        Assert.Equal(2, claims.Count);
        var dispatches = spans.Where(s => s.OperationName == SchedulerTracing.Dispatch).ToList();
        Assert.Equal(2, dispatches.Count);
        var posts = await PostIdsAsync();
        foreach (var dispatch in dispatches)
        {
            Assert.Contains(Guid.Parse((string)dispatch.GetTagItem(SchedulerTracing.PostIdTag)!), posts);
            Assert.Equal("facebook", dispatch.GetTagItem(SchedulerTracing.PlatformTag));
            Assert.Equal("published", dispatch.GetTagItem(SchedulerTracing.OutcomeTag));
            Assert.Equal(1, dispatch.GetTagItem(SchedulerTracing.AttemptTag));
            Assert.Equal(default, dispatch.ParentSpanId); // its own trace…
            Assert.Contains(Assert.Single(dispatch.Links).Context, claims.Select(c => c.Context)); // …linked to its claim
            var children = spans.Where(s => s.ParentSpanId == dispatch.SpanId).Select(s => s.OperationName).Order().ToArray();
            Assert.Equal([SchedulerTracing.Finish, SchedulerTracing.Publish], children);
            var publish = spans.Single(s => s.ParentSpanId == dispatch.SpanId && s.OperationName == SchedulerTracing.Publish);
            var calls = spans.Where(s => s.Kind == ActivityKind.Client && s.ParentSpanId == publish.SpanId).ToList();
            Assert.Equal(2, calls.Count); // created unpublished, then published
            Assert.All(calls, call => Assert.DoesNotContain("token-7000", string.Join(" ", call.Tags.Select(t => t.Value)), StringComparison.Ordinal));
        }
    }

    private async Task<List<Guid>> PostIdsAsync()
    {
        await using var connection = new MySqlConnector.MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlConnector.MySqlCommand("SELECT id FROM post_details", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
