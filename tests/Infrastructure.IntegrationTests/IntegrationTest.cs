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

    /// <summary>A post's time an hour from now, as the API takes it.</summary>
    protected static string InAnHour => DateTimeOffset.UtcNow.AddHours(1).ToString("O");

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

    /// <summary>The counts kept by the saves (post_counts) are the posts' own, counted now.</summary>
    protected async Task AssertPostCountsExactAsync()
    {
        var expected = new List<Scheduler.Application.Queue.PostCountRow>();
        await using (var connection = new MySqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new MySqlCommand(
                "SELECT company_id, platform, status, COUNT(*) FROM post_details GROUP BY company_id, platform, status", connection);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                expected.Add(new(
                    reader.GetGuid(0), Domain.Common.EnumNames.Parse<Platform>(reader.GetString(1)),
                    Domain.Common.EnumNames.Parse<Domain.Posts.PostStatus>(reader.GetString(2)), reader.GetInt32(3)));
            }
        }

        var kept = await Database.Services.GetRequiredService<Scheduler.Application.Queue.IPostCounts>().ReadAsync(null, Ct);
        Assert.Equal(
            expected.OrderBy(r => r.CompanyId).ThenBy(r => r.Platform).ThenBy(r => r.Status),
            kept.OrderBy(r => r.CompanyId).ThenBy(r => r.Platform).ThenBy(r => r.Status));
    }

    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs SQL; posts changed by hand are counted again after it, as an operator would (POST /operator/queue/recount).</summary>
    protected async Task ExecuteAsync(string sql)
    {
        if (sql.Contains("post_details", StringComparison.OrdinalIgnoreCase))
        {
            sql = sql.TrimEnd().TrimEnd(';') + ";\n" + Scheduler.Infrastructure.Persistence.Queue.PostCounts.RecountSql;
        }

        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
