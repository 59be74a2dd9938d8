using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Application.Connections;
using Scheduler.Application.Connections.CompleteConnection;
using Scheduler.Application.Connections.ConnectAccounts;
using Scheduler.Application.Connections.GetConnection;
using Scheduler.Application.Connections.StartConnection;
using Scheduler.Application.SocialAccounts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

/// <summary>Connecting accounts through each platform's consent screen (OAuth 2.0 authorization code).</summary>
public static class Connections
{
    public const string CallbackPath = "/connections/callback/{platform}";

    public static IEndpointRouteBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Connections");
        group.MapPost("/connections", Start)
            .WithSummary("Start connecting accounts: answers the platform's consent-screen URL to send the person to.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        group.MapGet("/connections/{id}", Get)
            .WithSummary("A connection's status and the accounts the person can publish to (never their tokens).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/connections/{id}/accounts", Connect)
            .WithSummary("Connect the chosen accounts (an account the company has is reconnected with the fresh token).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // The platform sends the person's browser here: no bearer token, the state names the company.
        app.MapGet(CallbackPath, Callback)
            .WithTags("Connections")
            .WithSummary("Where the platform sends the person back; redirects to the flow's return URL.")
            .AllowAnonymous()
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Created<ConnectionStarted>> Start(
        StartConnectionRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct)
    {
        var started = await sender.Send(
            new StartConnectionCommand(request.Platform, request.ReturnUrl ?? string.Empty, request.ClientId, request.CompanyId)
            {
                IdempotencyKey = idempotencyKey,
            },
            ct);
        return TypedResults.Created($"/connections/{started.Id}", started);
    }

    private static async Task<Ok<ConnectionDto>> Get(Guid id, Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetConnectionQuery(id, companyId), ct));

    private static async Task<Ok<ConnectedAccounts>> Connect(
        Guid id, ConnectAccountsRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct)
    {
        var accounts = await sender.Send(
            new ConnectAccountsCommand(id, request.ExternalAccountIds ?? [], request.ClientId, request.CompanyId)
            {
                IdempotencyKey = idempotencyKey,
            },
            ct);
        return TypedResults.Ok(new ConnectedAccounts(accounts));
    }

    private static async Task<RedirectHttpResult> Callback(
        string platform,
        string? code,
        string? state,
        string? error,
        [FromQuery(Name = "error_description")] string? errorDescription,
        ISender sender,
        CancellationToken ct)
    {
        var login = EnumQuery.Parse<AccountLogin>(platform, "platform")!.Value;
        var result = await sender.Send(new CompleteConnectionCommand(login, code, state, error, errorDescription), ct);
        return TypedResults.Redirect(result.RedirectUrl);
    }

    /// <param name="Platform"><c>facebook</c> (Pages and their Instagram accounts), <c>instagram</c> (Instagram Login) or <c>linkedin</c>.</param>
    public sealed record StartConnectionRequest(AccountLogin? Platform, string? ReturnUrl, Guid? ClientId = null, Guid? CompanyId = null);

    public sealed record ConnectAccountsRequest(IReadOnlyList<string>? ExternalAccountIds, Guid? ClientId = null, Guid? CompanyId = null);

    public sealed record ConnectedAccounts(IReadOnlyList<SocialAccountDto> Accounts);
}
