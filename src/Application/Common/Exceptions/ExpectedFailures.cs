using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Scheduler.Domain.Common;

namespace Scheduler.Application.Common.Exceptions;

/// <summary>
/// The one list of failures that are the caller's business, not the operator's: refused requests answer 4xx and are
/// logged as information, never as errors.
/// </summary>
public static class ExpectedFailures
{
    public static bool Is(Exception exception) =>
        exception is ValidationException or NotFoundException or ForbiddenAccessException or DomainException
            or DbUpdateConcurrencyException or IdempotencyInProgressException or IdempotencyKeyReusedException
            or NotConfiguredException or PlatformUnreachableException or OperationCanceledException;
}
