using Microsoft.AspNetCore.Mvc;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Application.SocialAccounts;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Application.SocialAccounts.GetSocialAccounts;
using Scheduler.Application.SocialAccounts.Slots;
using Scheduler.Domain.SocialAccounts;

using Scheduler.Web.Infrastructure;

namespace Scheduler.Web.Endpoints;

public static class SocialAccounts
{
    public static IEndpointRouteBuilder MapSocialAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("Social accounts");
        group.MapGet("/social-accounts", List).WithSummary("The company's connected accounts (never their tokens).");
        group.MapGet("/social-accounts/{id}/slots", (Guid id, Guid? companyId, ISender sender, CancellationToken ct) =>
                Ok(sender.Send(new GetPostingSlotsQuery(id, companyId), ct)))
            .WithSummary("The account's posting times (its queue) and its next free slots.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/social-accounts/{id}/slots", (Guid id, SlotsRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                Ok(sender.Send(new SetPostingSlotsCommand(id, request.TimeZone, request.Slots, request.CompanyId) { IdempotencyKey = key }, ct)))
            .WithSummary("Set the account's posting times in its time zone (no slots: remove them); \"runAt\": \"next-slot\" takes the first free one.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/social-accounts/{id}/queue", (Guid id, QueueRequest request, [FromHeader(Name = IdempotencyKeyHeader.Name)] string? key, ISender sender, CancellationToken ct) =>
                Ok(sender.Send(new ReorderQueueCommand(id, request.PostIds ?? [], request.CompanyId) { IdempotencyKey = key }, ct)))
            .WithSummary("Reorder the account's waiting posts: they keep their set of times, given out in the order of postIds.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/social-accounts", Connect)
            .WithSummary("Connect an account, or reconnect it (same platform and external id) with a new token.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<T>> Ok<T>(ValueTask<T> answer) => TypedResults.Ok(await answer);

    public sealed record SlotsRequest(string? TimeZone, IReadOnlyList<SlotInput>? Slots, Guid? CompanyId = null);

    public sealed record QueueRequest(IReadOnlyList<Guid>? PostIds, Guid? CompanyId = null);

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
