using Mediator;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Scheduler.Application.SocialAccounts;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.IntegrationTests;

/// <summary>Each test starts from empty tables.</summary>
public abstract class IntegrationTest(DatabaseFixture database) : IAsyncLifetime
{
    protected DatabaseFixture Database { get; } = database;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => await Database.ResetAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one use case in a fresh scope acting for the company, as one request would.</summary>
    protected async Task<TResponse> SendAsync<TResponse>(Guid companyId, ICommand<TResponse> command)
    {
        await using var scope = await Database.ScopeForAsync(companyId);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, Ct);
    }

    protected async Task<TResponse> SendAsync<TResponse>(Guid companyId, IQuery<TResponse> query)
    {
        await using var scope = await Database.ScopeForAsync(companyId);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query, Ct);
    }

    protected async Task<SocialAccountDto> ConnectAsync(
        Guid companyId, Platform platform = Platform.Facebook, string externalId = "page-1", Guid? clientId = null) =>
        (await SendAsync(companyId, new ConnectSocialAccountCommand(platform, externalId, "Page " + externalId, "token-" + externalId, clientId)))
        .Account;

    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
