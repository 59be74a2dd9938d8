using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Tests.Database;
using WireMock.Server;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

/// <summary>
/// A live publisher wired to a local fake of its platform, with every log line captured. A setting's <c>{fake}</c>
/// stands for the fake's URL.
/// </summary>
public abstract class FakePlatformTest : IDisposable
{
    protected FakePlatformTest(Platform platform, params (string Key, string? Value)[] settings)
    {
        var name = platform.ToString();
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = TestDatabase.ConnectionString(DatabaseFixture.DatabaseName),
            ["Publishing:Mode"] = "Live",
            [$"Platforms:{name}:BaseUrl"] = Fake.Url,
            // The fake serves the media too, on loopback.
            ["Media:AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value?.Replace("{fake}", Fake.Url, StringComparison.Ordinal);
        }

        Services = DatabaseFixture.BuildServices(
            new ConfigurationBuilder().AddInMemoryCollection(values).Build(),
            s =>
            {
                s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(Logs)));
                s.AddSingleton<IPlatformStateStore>(States);
            });
        Publisher = Services.GetServices<IPlatformPublisher>().Single(p => p.Platform == platform);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected WireMockServer Fake { get; } = WireMockServer.Start();

    protected ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>What the publisher saved mid-publish; the requests here stand for rows whose lease is held.</summary>
    protected HeldLeaseStates States { get; } = new();

    protected ServiceProvider Services { get; }

    protected IPlatformPublisher Publisher { get; }

    public void Dispose()
    {
        Fake.Stop();
        Fake.Dispose();
        Services.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A state store for a row whose lease is held: every save lands, and is kept for the test to read. With
/// <see cref="LeaseHeld"/> false it answers as the queue does once another worker holds the row.
/// </summary>
public sealed class HeldLeaseStates : IPlatformStateStore
{
    public ConcurrentQueue<string?> Saved { get; } = new();

    public bool LeaseHeld { get; set; } = true;

    public Task<bool> SaveAsync(Guid postId, Guid lockToken, string? state, CancellationToken cancellationToken)
    {
        if (LeaseHeld)
        {
            Saved.Enqueue(state);
        }

        return Task.FromResult(LeaseHeld);
    }
}
