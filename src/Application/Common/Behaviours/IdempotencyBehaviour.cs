using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Common.Behaviours;

/// <summary>
/// Right after logging, for commands sent with an idempotency key: the key is reserved for the company (committed at
/// once, so a concurrent duplicate sees it) before anything else, so a repeat gets the first answer even where
/// validation would now say otherwise (a time that has passed since). A repeat with the same content gets the stored
/// response; with other content, <see cref="IdempotencyKeyReusedException"/>; while the first still runs,
/// <see cref="IdempotencyInProgressException"/>. The response is stored by <see cref="IdempotencyCompletionBehaviour{TMessage,TResponse}"/>
/// inside the command's transaction; a command that fails gives the key up, so a retry runs it again.
/// </summary>
public sealed class IdempotencyBehaviour<TMessage, TResponse>(
    IIdempotencyStore store, ICurrentCompany company, IdempotencyReservations reservations)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public const int MaxKeyLength = 200;

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IIdempotentCommand { IdempotencyKey: { } key })
        {
            return await next(message, cancellationToken);
        }

        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new ValidationException([new ValidationFailure(
                "Idempotency-Key", $"Idempotency-Key is 1–{MaxKeyLength} visible ASCII characters.")]);
        }

        var claim = await store.BeginAsync(company.Id, key, IdempotencyJson.Hash(message), cancellationToken);
        switch (claim)
        {
            case IdempotencyClaim.Completed completed:
                return JsonSerializer.Deserialize<TResponse>(completed.ResponseJson, IdempotencyJson.Options)!;
            case IdempotencyClaim.InProgress:
                throw new IdempotencyInProgressException(key);
            case IdempotencyClaim.Mismatch:
                throw new IdempotencyKeyReusedException(key);
        }

        var token = ((IdempotencyClaim.Started)claim).Token;
        reservations.Hold(message, key, token);
        try
        {
            return await next(message, cancellationToken);
        }
        catch
        {
            await store.ReleaseAsync(company.Id, key, token, CancellationToken.None);
            throw;
        }
        finally
        {
            reservations.Drop(message);
        }
    }
}

/// <summary>Innermost: stores an idempotent command's response in the command's own transaction.</summary>
public sealed class IdempotencyCompletionBehaviour<TMessage, TResponse>(
    IIdempotencyStore store, ICurrentCompany company, IdempotencyReservations reservations)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (reservations.Find(message) is { } reservation)
        {
            await store.CompleteAsync(
                company.Id, reservation.Key, reservation.Token, JsonSerializer.Serialize(response, IdempotencyJson.Options), cancellationToken);
        }

        return response;
    }
}

/// <summary>The keys this request's commands hold, by command (a command may send another inside its transaction).</summary>
public sealed class IdempotencyReservations
{
    private readonly Dictionary<object, (string Key, Guid Token)> _held = new(ReferenceEqualityComparer.Instance);

    public void Hold(object command, string key, Guid token) => _held[command] = (key, token);

    public (string Key, Guid Token)? Find(object command) => _held.TryGetValue(command, out var held) ? held : null;

    public void Drop(object command) => _held.Remove(command);
}

/// <summary>How requests are hashed and responses stored: the API's JSON shape, enums by name.</summary>
public static class IdempotencyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>What the request asks for: the command's type and content, without its key.</summary>
    public static string Hash(object message)
    {
        var content = JsonSerializer.SerializeToNode(message, message.GetType(), Options)!.AsObject();
        content.Remove("idempotencyKey");
        var text = $"{message.GetType().FullName}\n{content.ToJsonString()}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
