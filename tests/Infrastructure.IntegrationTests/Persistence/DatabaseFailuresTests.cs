using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// What a failure of the database means: a connection the server dropped is replayed on a new one and, if it keeps
/// failing, answers 503; a failure that is not the database's is neither.
/// </summary>
public sealed class DatabaseFailuresTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task AStatementOnAConnectionTheServerClosed_FailsAsALostConnection()
    {
        await using var connection = new MySqlConnection($"{Database.ConnectionString};Pooling=false");
        await connection.OpenAsync(Ct);
        await KillAsync(connection.ServerThread);

        await using var command = new MySqlCommand("SELECT 1", connection);
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await command.ExecuteScalarAsync(Ct));

        Assert.True(DatabaseFailures.IsConnectionLost(failure), failure.ToString());
        Assert.True(DatabaseFailures.IsUnavailable(failure));
        Assert.True(DatabaseFailures.IsUnavailable(new DbUpdateException("save failed", failure)));
    }

    [Fact]
    public async Task AUnitOfWork_WhosePooledConnectionsTheServerClosed_IsReplayedOnANewOne()
    {
        var company = Guid.CreateVersion7();
        var account = await ConnectAsync(company);

        // Every connection the pool holds for this database dies, as in a database restart.
        await using (var admin = new MySqlConnection($"{Database.ConnectionString};Pooling=false"))
        {
            await admin.OpenAsync(Ct);
            await using var list = new MySqlCommand(
                "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()", admin);
            var ids = new List<long>();
            await using (var reader = await list.ExecuteReaderAsync(Ct))
            {
                while (await reader.ReadAsync(Ct))
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            Assert.NotEmpty(ids);
            foreach (var id in ids)
            {
                await KillAsync(id);
            }
        }

        var scheduled = await SendAsync(company, new SchedulePostCommand(account.Id, "after a restart", InAnHour));

        Assert.Equal(
            1,
            await ScalarAsync($"SELECT COUNT(*) FROM post_details WHERE id = UNHEX('{Convert.ToHexString(scheduled.Id.ToByteArray(bigEndian: true))}')"));
    }

    [Fact]
    public void FailuresThatAreNotTheDatabases_AreNeitherLostNorUnavailable()
    {
        Exception[] others =
        [
            new InvalidOperationException("a bug"),
            new IOException("the client hung up"),
            new HttpRequestException("a platform is unreachable", new SocketException((int)SocketError.ConnectionRefused)),
            new DbUpdateException("a constraint", new InvalidOperationException("a bug")),
        ];

        foreach (var failure in others)
        {
            Assert.False(DatabaseFailures.IsConnectionLost(failure), failure.Message);
            Assert.False(DatabaseFailures.IsUnavailable(failure), failure.Message);
        }
    }

    private async Task KillAsync(long connectionId)
    {
        await using var admin = new MySqlConnection($"{Database.ConnectionString};Pooling=false");
        await admin.OpenAsync(Ct);
        await using var kill = new MySqlCommand($"KILL CONNECTION {connectionId}", admin);
        await kill.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
