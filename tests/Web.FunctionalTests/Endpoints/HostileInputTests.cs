using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scheduler.Web.FunctionalTests.Endpoints;

/// <summary>
/// Requests derived from the served OpenAPI document and mutated, seeded so a failure replays: wrong types, missing
/// and extra fields, nulls, huge and odd strings, invalid UTF-8, deep nesting, out-of-range numbers, foreign ids, bad
/// cursors and limits, dates at the edges, bodies over the limit, wrong content types, empty bodies. Every answer
/// must be a 2xx or a 4xx ProblemDetails, and the database must hold exactly what the accepted requests created.
/// </summary>
public sealed class HostileInputTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    private const int Seed = 20261202;
    private const int Requests = 5_000;

    private sealed record Operation(string Method, string Path, JsonObject? Body, IReadOnlyList<string> Query);

    private static readonly string[] OddStrings =
    [
        "", " ", "\u0000", "\t\r\n", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "😀👩‍👩‍👧‍👦", "\u202Eevil",
        "null", "true", "-1", "1e309", "NaN", "00000000-0000-0000-0000-000000000000", "%00", "\\u0000", "{\"$ne\":null}",
        new string('x', 5_000), new string('é', 70_000),
    ];

    private static readonly JsonNode?[] OddValues =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(long.MaxValue), JsonValue.Create(1e300), JsonValue.Create(true),
        new JsonArray(), new JsonObject(), JsonValue.Create("0001-01-01T00:00:00Z"), JsonValue.Create("9999-12-31T23:59:59Z"),
        JsonValue.Create("2030-02-30T10:00"), JsonValue.Create(Guid.NewGuid().ToString()),
    ];

    private static readonly string[] QueryValues =
    [
        "", "-1", "0", "201", "999999999999", "abc", "not-a-cursor", "AAAA", "%FF", "2030-02-30", "9999-12-31T23:59:59Z", "pending",
        "published,failed", Guid.Empty.ToString(), new string('z', 3_000),
    ];

    [Fact]
    public async Task MutatedRequests_AreAnswered2xxOr4xxProblemDetails_AndWriteExactlyWhatWasAccepted()
    {
        var company = Guid.CreateVersion7();
        var client = Factory.ClientFor(company);
        var account = await ConnectAsync(client);
        var post = (await ScheduleAsync(client, account)).GetProperty("id").GetGuid();
        var operations = await OperationsAsync();
        Assert.True(operations.Count >= 10, $"{operations.Count} operations in the OpenAPI document");

        var random = new Random(Seed);
        var accepted = new Dictionary<string, int>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var operation = operations[random.Next(operations.Count)];
            using var request = Mutate(operation, random, account, post);
            using var response = await client.SendAsync(request, Ct);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(status < 500, $"request {i} ({request.Method} {request.RequestUri}) answered {status}: {body}");
            if (status >= 400)
            {
                Assert.True(
                    response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    $"request {i} ({request.Method} {request.RequestUri}) answered {status} without ProblemDetails: {body}");
            }
            else if (status == 201)
            {
                accepted[operation.Path] = accepted.GetValueOrDefault(operation.Path) + 1;
            }
        }

        Assert.True(statuses.ContainsKey(413), "no body over the limit was refused with 413");
        TestContext.Current.SendDiagnosticMessage(
            $"Hostile input: {Requests} requests (seed {Seed}); answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}.");
        var companyHex = $"UNHEX('{Convert.ToHexString(company.ToByteArray(bigEndian: true))}')";
        Assert.Equal(1 + accepted.GetValueOrDefault("/schedule-post"), await CountAsync($"SELECT COUNT(*) FROM post_details WHERE company_id = {companyHex}"));
        Assert.Equal(accepted.GetValueOrDefault("/clients"), await CountAsync($"SELECT COUNT(*) FROM clients WHERE company_id = {companyHex}"));
        Assert.Equal(1 + accepted.GetValueOrDefault("/social-accounts"), await CountAsync($"SELECT COUNT(*) FROM social_accounts WHERE company_id = {companyHex}"));
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        var document = JsonNode.Parse(await Factory.CreateClient().GetStringAsync("/openapi/v1.json", Ct))!;
        var schemas = document["components"]?["schemas"]?.AsObject();
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var query = operation!["parameters"]?.AsArray().Where(p => p!["in"]?.GetValue<string>() == "query")
                    .Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
                var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                operations.Add(new Operation(method.ToUpperInvariant(), path, schema is null ? null : Example(schema, schemas, 0), query));
            }
        }

        return [.. operations.Where(o => !o.Path.StartsWith("/openapi", StringComparison.Ordinal))];
    }

    /// <summary>A plausible body for a schema: each property with a value of its declared type.</summary>
    private static JsonObject Example(JsonNode schema, JsonObject? schemas, int depth)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference && schemas?[reference.Split('/')[^1]] is { } target)
        {
            schema = target;
        }

        var example = new JsonObject();
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            example[name] = name switch
            {
                "runAt" => DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
                "content" or "displayName" or "name" or "accessToken" => "hello",
                "platform" => "facebook",
                "externalAccountId" => $"page-{Guid.NewGuid():N}",
                _ => property?["type"]?.ToString() switch
                {
                    var t when t?.Contains("string", StringComparison.Ordinal) == true => "x",
                    var t when t?.Contains("integer", StringComparison.Ordinal) == true => 1,
                    var t when t?.Contains("array", StringComparison.Ordinal) == true => new JsonArray(),
                    _ => null,
                },
            };
        }

        return example;
    }

    private static HttpRequestMessage Mutate(Operation operation, Random random, Guid account, Guid post)
    {
        var path = operation.Path.Replace("{id}", random.Next(3) switch
        {
            0 => post.ToString(),
            1 => Guid.NewGuid().ToString(),
            // The test server itself refuses a NUL in a path (Kestrel answers 400): those stay in bodies and queries.
            _ => OddStrings[random.Next(OddStrings.Length)] is { Length: < 100 } odd && !odd.Contains('\0', StringComparison.Ordinal) && !odd.Contains('%', StringComparison.Ordinal)
                ? Uri.EscapeDataString(odd)
                : "x",
        }, StringComparison.Ordinal);
        var query = operation.Query.Count > 0 && random.Next(2) == 0
            ? "?" + string.Join("&", operation.Query.Where(_ => random.Next(2) == 0)
                .Select(name => $"{name}={Uri.EscapeDataString(QueryValues[random.Next(QueryValues.Length)])}"))
            : string.Empty;
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path + query);
        if (operation.Body is null)
        {
            return request;
        }

        var body = operation.Body.DeepClone().AsObject();
        if (body.ContainsKey("socialAccountId"))
        {
            body["socialAccountId"] = random.Next(4) == 0 ? Guid.NewGuid().ToString() : account.ToString();
        }

        var kind = random.Next(12);
        var names = body.Select(p => p.Key).ToList();
        switch (kind)
        {
            case 0 when names.Count > 0:
                body.Remove(names[random.Next(names.Count)]);
                break;
            case 1:
                body[$"extra{random.Next(100)}"] = OddStrings[random.Next(OddStrings.Length)];
                break;
            case 2 when names.Count > 0:
                body[names[random.Next(names.Count)]] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                break;
            case 3 when names.Count > 0:
                body[names[random.Next(names.Count)]] = OddStrings[random.Next(OddStrings.Length)];
                break;
            case 4:
                request.Content = Raw(new string('[', 2_000) + new string(']', 2_000), "application/json");
                return request;
            case 5:
                request.Content = Raw([0x7B, 0x22, 0x63, 0x6F, 0x6E, 0x74, 0x65, 0x6E, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0x22, 0x7D], "application/json");
                return request;
            case 6:
                request.Content = Raw(string.Empty, "application/json");
                return request;
            case 7:
                request.Content = Raw(body.ToJsonString(), random.Next(2) == 0 ? "text/plain" : "application/xml");
                return request;
            case 8:
                // Over the 1 MiB limit, streamed without a length (chunked).
                request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"content\":\"" + new string('a', 1_200_000) + "\"}")));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TransferEncodingChunked = true;
                return request;
            case 9:
                request.Content = Raw("{\"content\":", "application/json");
                return request;
        }

        request.Content = Raw(body.ToJsonString(), "application/json");
        return request;
    }

    private static ByteArrayContent Raw(string text, string type) => Raw(Encoding.UTF8.GetBytes(text), type);

    private static ByteArrayContent Raw(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new MySqlConnector.MySqlConnection(Factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new MySqlConnector.MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
