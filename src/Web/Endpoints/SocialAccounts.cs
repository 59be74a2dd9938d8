using Microsoft.AspNetCore.Mvc;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.SocialAccounts;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Application.SocialAccounts.GetSocialAccounts;
using Scheduler.Domain.SocialAccounts;

using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class SocialAccounts
{
    public static IEndpointRouteBuilder MapSocialAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Social accounts");
        group.MapGet("/social-accounts", List).WithSummary("The company's connected accounts (never their tokens).");
        group.MapPost("/social-accounts", Connect)
            .WithSummary("Connect an account, or reconnect it (same platform and external id) with a new token.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<SocialAccountDto>>> List(
        Guid? clientId, Guid? companyId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetSocialAccountsQuery(clientId, companyId), ct));

    private static async Task<Results<Created<SocialAccountDto>, Ok<SocialAccountDto>>> Connect(
        ConnectSocialAccountRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(
            new ConnectSocialAccountCommand(
                request.Platform, request.ExternalAccountId!, request.DisplayName!, request.AccessToken!,
                request.ClientId, request.TokenExpiresAt, request.CompanyId, request.Login)
            {
                IdempotencyKey = idempotencyKey,
            },
            ct);
        return result.Created
            ? TypedResults.Created((string?)null, result.Account)
            : TypedResults.Ok(result.Account);
    }

    public sealed record ConnectSocialAccountRequest(
        Platform Platform,
        string? ExternalAccountId,
        string? DisplayName,
        string? AccessToken,
        Guid? ClientId = null,
        DateTimeOffset? TokenExpiresAt = null,
        Guid? CompanyId = null,
        AccountLogin? Login = null)
    {
        public override string ToString() => $"{nameof(ConnectSocialAccountRequest)} {{ Platform = {Platform} }}";
    }
}
