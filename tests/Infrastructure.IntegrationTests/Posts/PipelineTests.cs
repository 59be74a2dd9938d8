using System.Collections.Concurrent;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scheduler.Application.Clients.CreateClient;
using Scheduler.Application.Clients.GetClients;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Infrastructure.IntegrationTests.Platforms;

namespace Scheduler.Infrastructure.IntegrationTests.Posts;

/// <summary>
/// The mediator pipeline, through the real mediator and a real database, read from what it logs: EF's transaction
/// events, the logging behaviour's lines, the domain-event log.
/// </summary>
public sealed class PipelineTests(DatabaseFixture database) : IntegrationTest(database)
{
    private const string Began = "Began transaction";
    private readonly ConcurrentQueue<string> _logs = new();

    private async Task<T> SendLoggedAsync<T>(Guid company, Func<ISender, ValueTask<T>> send)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DatabaseFixture.Settings(Database.ConnectionString)).Build();
        await using var services = DatabaseFixture.BuildServices(configuration, s =>
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new CapturingLoggerProvider(_logs))));
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.UseCompanyAsync(company, null, Ct);
        _logs.Clear();
        return await send(scope.ServiceProvider.GetRequiredService<ISender>());
    }

    private int IndexOf(string text) => _logs.ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task ACommand_IsLoggedAroundItsTransaction_WhichCommitsItsWork()
    {
        await SendLoggedAsync(Guid.CreateVersion7(), s => s.Send(new CreateClientCommand("Bakery"), Ct));

        var began = IndexOf(Began);
        var committed = IndexOf("Committed transaction");
        var handled = IndexOf("CreateClientCommand handled");
        Assert.True(began >= 0 && began < committed && committed < handled, string.Join("\n", _logs));
        Assert.Equal(1, _logs.Count(l => l.Contains(Began, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnInvalidCommand_IsRefusedByValidation_AndNeverOpensATransaction()
    {
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(async () =>
            await SendLoggedAsync(Guid.CreateVersion7(), s => s.Send(new CreateClientCommand(string.Empty), Ct)));

        Assert.Equal(-1, IndexOf(Began));
        Assert.Contains(_logs, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("CreateClientCommand refused", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AQuery_NeverOpensATransaction()
    {
        await SendLoggedAsync(Guid.CreateVersion7(), s => s.Send(new GetClientsQuery(), Ct));

        Assert.Equal(-1, IndexOf(Began));
        Assert.True(IndexOf("GetClientsQuery handled") >= 0);
    }

    [Fact]
    public async Task AHandlerWhoseWorkFails_RollsBack_PublishesNoEvent_AndIsLoggedOnceAsAnError()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);
        await ExecuteAsync("""
            CREATE TRIGGER fail_pipeline_insert BEFORE INSERT ON post_schedule FOR EACH ROW
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'forced pipeline failure'
            """);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => await SendLoggedAsync(
                company, s => s.Send(new SchedulePostCommand(account.Id, "Hello", DateTimeOffset.UtcNow.AddHours(1).ToString("O")), Ct)));
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER IF EXISTS fail_pipeline_insert");
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM post_details"));
        Assert.DoesNotContain(_logs, l => l.Contains("Domain event PostScheduledEvent", StringComparison.Ordinal));
        Assert.Single(_logs, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("SchedulePostCommand failed", StringComparison.Ordinal));
    }
}
