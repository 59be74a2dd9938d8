using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Respawn;
using Respawn.Graph;
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
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Scheduler"] = ConnectionString })
            .Build();
        Services = BuildServices(Configuration);
        await DatabaseMigrator.MigrateAsync(Services);

        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.MySql,
            SchemasToInclude = [DatabaseName],
            TablesToIgnore = [new Table("__EFMigrationsHistory"), new Table("data_protection_keys")],
        });
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
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
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

/// <summary>Where the tests' databases live: SCHEDULER_TEST_DB, else the local server build/db.sh starts.</summary>
public static class TestDatabase
{
    public static string ConnectionString(string database) =>
        new MySqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("SCHEDULER_TEST_DB")
            ?? "Server=127.0.0.1;Port=3306;Database=scheduler_test;User=scheduler;Password=scheduler")
        {
            Database = database,
            GuidFormat = MySqlGuidFormat.Binary16,
        }.ConnectionString;

    public static async Task RecreateAsync(string database)
    {
        var server = new MySqlConnectionStringBuilder(ConnectionString(database)) { Database = string.Empty };
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;";
        await command.ExecuteNonQueryAsync();
    }
}
