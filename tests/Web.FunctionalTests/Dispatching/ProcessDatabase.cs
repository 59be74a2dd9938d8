using System.Globalization;
using System.Reflection;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure;

namespace Scheduler.Web.FunctionalTests.Dispatching;

/// <summary>The database that worker processes of a test share, read and written directly in SQL.</summary>
internal sealed class ProcessDatabase(string connectionString)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string ConnectionString => connectionString;

    /// <summary>
    /// Facebook pages connected through the real command (their tokens encrypted with the database's key ring, which
    /// the worker processes share), for a new company; returns the account ids.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ConnectPagesAsync(string companyName, int count)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Scheduler"] = connectionString, ["Publishing:Mode"] = "Sandbox" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddScheduler(configuration);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.UseCompanyAsync(Guid.CreateVersion7(), companyName, Ct);
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var accounts = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            var connected = await sender.Send(new ConnectSocialAccountCommand(Platform.Facebook, $"page-{i}", $"Page {i}", "page-token"), Ct);
            accounts.Add(connected.Account.Id);
        }

        return accounts;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout.TotalSeconds} s");
            await Task.Delay(250, Ct);
        }
    }

    /// <summary>The newest migration of the build, which the worker that migrates applies last.</summary>
    private static readonly string LatestMigration = typeof(Scheduler.Infrastructure.Persistence.SchedulerDbContext).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>()?.Id)
        .OfType<string>()
        .Max(StringComparer.Ordinal)!;

    /// <summary>The whole schema is there: the worker that migrates it has applied the newest migration.</summary>
    public async Task<bool> IsMigratedAsync() =>
        await CountAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '__EFMigrationsHistory'") == 1
        && await CountAsync($"SELECT COUNT(*) FROM __EFMigrationsHistory WHERE MigrationId = '{LatestMigration}'") == 1;
}
