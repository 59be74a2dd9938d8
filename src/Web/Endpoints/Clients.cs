using Microsoft.AspNetCore.Mvc;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.Clients;
using Scheduler.Application.Clients.CreateClient;
using Scheduler.Application.Clients.GetClients;

using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class Clients
{
    public static IEndpointRouteBuilder MapClients(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Clients");
        group.MapGet("/clients", List).WithSummary("The company's clients with their accounts.");
        group.MapPost("/clients", Create).WithSummary("Add a client.").ProducesValidationProblem();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ClientDto>>> List(Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetClientsQuery(companyId), ct));

    private static async Task<Created<ClientDto>> Create(
        CreateClientRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct) =>
        TypedResults.Created(
            (string?)null,
            await sender.Send(new CreateClientCommand(request.Name!, request.CompanyId) { IdempotencyKey = idempotencyKey }, ct));

    public sealed record CreateClientRequest(string? Name, Guid? CompanyId = null);
}
