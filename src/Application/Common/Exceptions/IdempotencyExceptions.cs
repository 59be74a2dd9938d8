namespace Scheduler.Application.Common.Exceptions;

/// <summary>A request with the same idempotency key is still running: retry once it has answered (409).</summary>
public sealed class IdempotencyInProgressException(string key)
    : Exception($"A request with Idempotency-Key '{key}' is still in progress; retry after it has answered.");

/// <summary>The idempotency key was first used with another request (422).</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"Idempotency-Key '{key}' was used for a different request; use a new key for a new request.");
