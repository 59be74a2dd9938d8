using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Respawn;
using Scheduler.Tests.Database;
using Scheduler.Infrastructure;
using Scheduler.Infrastructure.IntegrationTests;
using Scheduler.Infrastructure.Persistence;

[assembly: AssemblyFixture(typeof(DatabaseFixture))]

namespace Scheduler.Infrastructure.IntegrationTests;

/// <summary>
/// A database of this suite's own on the server build/test.sh provides (SCHEDULER_TEST_DB), created empty and
/// migrated once; Respawn empties it before each test.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public const string DatabaseName = "scheduler_it";

    private Respawner? _respawner;

    public string ConnectionString { get; } = TestDatabase.ConnectionString(DatabaseName);

    public IConfiguration Configuration { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await TestDatabase.RecreateAsync(DatabaseName);
        Configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings(ConnectionString))
            .Build();
        Services = BuildServices(Configuration);
        await DatabaseMigrator.MigrateAsync(Services);

        _respawner = await TestDatabase.CreateRespawnerAsync(DatabaseName);
    }

    /// <summary>The suite's configuration: its database, sandbox publishing, fast retries.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = connectionString,
            ["Publishing:Mode"] = "Sandbox",
            // Media URLs in tests name hosts that do not exist; the preflight has tests of its own against a local fake.
            ["MediaPreflight:Enabled"] = "false",
            ["Dispatcher:BackoffBaseSeconds"] = "0.001",
            ["Dispatcher:BackoffCapSeconds"] = "0.001",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static ServiceProvider BuildServices(IConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(configuration);
        services.AddScheduler(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async Task ResetAsync()
    {
        await TestDatabase.ResetAsync(_respawner!, DatabaseName);
        Services.GetRequiredService<KnownCompanies>().Clear();
    }

    /// <summary>A scope acting for <paramref name="companyId"/>, as a request or an in-process caller would.</summary>
    public async Task<AsyncServiceScope> ScopeForAsync(Guid companyId)
    {
        var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.UseCompanyAsync(companyId, "Test company");
        return scope;
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
