using System.Globalization;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Application.Posts.ImportPosts;
using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Web.Infrastructure;
using Sylvan.Data.Csv;

namespace Scheduler.Web.Endpoints;

/// <summary>
/// <c>POST /scheduled-posts/import</c>: up to 10,000 posts as JSON (an array of rows) or CSV (a header row naming the
/// columns), validated row by row, all or nothing unless <c>mode=valid</c>.
/// </summary>
public static class Import
{
    /// <summary>10,000 rows of a long post each fit; every other route keeps the 1 MiB limit.</summary>
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder app)
    {
        app.MapTenantGroup("Scheduled posts")
            .MapPost("/scheduled-posts/import", ImportAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<ImportRow[]>("application/json", "text/csv")
            .WithSummary("Import up to 10,000 posts (JSON array or CSV with a header row); all or nothing unless mode=valid.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<IResult> ImportAsync(
        HttpRequest request, string? mode, Guid? companyId, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey,
        ISender sender, CancellationToken ct)
    {
        var allOrNothing = mode switch
        {
            null or "all" => true,
            "valid" => false,
            _ => throw Invalid("mode", "mode is 'all' (the default: one bad row imports nothing) or 'valid' (import the good rows)."),
        };
        var (rows, bodyCompanyId) = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "application/json" => await JsonRowsAsync(request, ct),
            "text/csv" => (await CsvRowsAsync(request, ct), null),
            _ => (null, null),
        };
        if (rows is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the rows as application/json (an array) or text/csv (with a header row).");
        }

        var result = await sender.Send(
            new ImportPostsCommand(rows, allOrNothing, bodyCompanyId ?? companyId) { IdempotencyKey = idempotencyKey }, ct);
        return TypedResults.Ok(result);
    }

    /// <summary>An array of rows, or <c>{"rows": [...], "companyId": ...}</c>.</summary>
    private static async Task<(IReadOnlyList<ImportRow>? Rows, Guid? CompanyId)> JsonRowsAsync(HttpRequest request, CancellationToken ct)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Array => (root.Deserialize<List<ImportRow>>(options), null),
                JsonValueKind.Object when root.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Array =>
                    (rows.Deserialize<List<ImportRow>>(options), root.TryGetProperty("companyId", out var company) ? company.Deserialize<Guid?>(options) : null),
                JsonValueKind.Object when root.TryGetProperty("companyId", out var company) => ([], company.Deserialize<Guid?>(options)),
                _ => throw Invalid("rows", "The body is a JSON array of rows, or an object with a rows array."),
            };
        }
        catch (JsonException ex)
        {
            throw Invalid("rows", $"The body is not a JSON array of rows: {ex.Message}");
        }
    }

    /// <summary>
    /// Columns by header name (any order, any case): socialAccountId, content, runAt, timeZone, mediaUrls (separated by
    /// spaces or |), link, clientId, format, draft, firstComment (an empty cell: none). A cell that cannot be read is
    /// reported on its row.
    /// </summary>
    private static async Task<IReadOnlyList<ImportRow>> CsvRowsAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        await using var csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true }, ct);
        var columns = Enumerable.Range(0, csv.FieldCount).ToDictionary(i => csv.GetName(i).Trim(), i => i, StringComparer.OrdinalIgnoreCase);
        var known = new[] { "socialAccountId", "content", "runAt", "timeZone", "mediaUrls", "link", "clientId", "format", "draft", "firstComment" };
        var unknown = columns.Keys.Where(h => !known.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 || !columns.ContainsKey("socialAccountId"))
        {
            throw Invalid("rows", $"The CSV's header row names its columns among {string.Join(", ", known)}; socialAccountId is required{(unknown.Count > 0 ? $", and {string.Join(", ", unknown)} is not one of them" : string.Empty)}.");
        }

        var rows = new List<ImportRow>();
        var errors = new List<ValidationFailure>();
        while (await csv.ReadAsync(ct))
        {
            var number = rows.Count + 1;
            if (number > ImportPostsCommand.MaxRows)
            {
                throw Invalid("rows", $"An import holds at most {ImportPostsCommand.MaxRows:N0} rows.");
            }

            string? Raw(string name) => columns.TryGetValue(name, out var i) && i < csv.RowFieldCount ? csv.GetString(i) : null;
            string? Cell(string name) => Raw(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
            Guid? IdOf(string name)
            {
                var text = Cell(name);
                if (text is null)
                {
                    return null;
                }

                if (Guid.TryParse(text, out var value))
                {
                    return value;
                }

                errors.Add(new ValidationFailure($"rows[{number}].{name}", $"'{text}' is not an id."));
                return null;
            }

            PostFormat? format = null;
            if (Cell("format") is { } formatText)
            {
                var match = EnumNames.All<PostFormat>().Where(f => f.Value.Equals(formatText, StringComparison.OrdinalIgnoreCase)).Select(f => (PostFormat?)f.Key).FirstOrDefault();
                if (match is null)
                {
                    errors.Add(new ValidationFailure($"rows[{number}].format", $"'{formatText}' is not one of {string.Join(", ", EnumNames.All<PostFormat>().Values)}."));
                }

                format = match;
            }

            rows.Add(new ImportRow(
                IdOf("socialAccountId") ?? Guid.Empty,
                Raw("content"),
                Cell("runAt"),
                Cell("timeZone"),
                Cell("mediaUrls")?.Split([' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Cell("link"),
                IdOf("clientId"),
                format,
                Cell("draft") is { } draft && (draft.Equals("true", StringComparison.OrdinalIgnoreCase) || draft == "1"),
                Cell("firstComment") is null ? null : Raw("firstComment")));
        }

        return errors.Count > 0 ? throw new ValidationException(errors) : rows;
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}
