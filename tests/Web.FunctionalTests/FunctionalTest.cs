using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;

namespace Scheduler.Web.FunctionalTests;

public abstract class FunctionalTest(SchedulerFactory factory) : IAsyncLifetime
{
    protected SchedulerFactory Factory { get; } = factory;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string Future(TimeSpan ahead) => DateTimeOffset.UtcNow.Add(ahead).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask InitializeAsync() => await Factory.ResetAsync();

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    /// <summary>Asserts an RFC 9457 answer: the status, the media type, and a body that says the same status.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    protected static async Task<JsonElement> AssertOkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    protected static async Task<Guid> ConnectAsync(
        HttpClient client, string platform = "facebook", string externalId = "page-1", Guid? clientId = null)
    {
        var response = await client.PostAsJsonAsync(
            "/social-accounts",
            new { platform, externalAccountId = externalId, displayName = "Page " + externalId, accessToken = "tok-" + externalId, clientId },
            Ct);
        return (await AssertOkAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    protected static async Task<JsonElement> ScheduleAsync(HttpClient client, Guid accountId, string content = "Hello", string? firstComment = null)
    {
        var response = await client.PostAsJsonAsync(
            "/schedule-post", new { socialAccountId = accountId, content, runAt = Future(TimeSpan.FromHours(1)), firstComment }, Ct);
        return await AssertOkAsync(response, HttpStatusCode.Created);
    }

    /// <summary>Runs SQL; posts changed by hand are counted again after it, as an operator would (POST /operator/queue/recount).</summary>
    protected async Task ExecuteSqlAsync(string sql)
    {
        if (sql.Contains("post_details", StringComparison.OrdinalIgnoreCase))
        {
            sql = sql.TrimEnd().TrimEnd(';') + ";\n" + Scheduler.Infrastructure.Persistence.Queue.PostCounts.RecountSql;
        }

        await using var connection = new MySqlConnection(Factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
