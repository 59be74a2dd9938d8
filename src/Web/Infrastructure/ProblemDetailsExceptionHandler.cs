using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Domain.Common;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Web.Infrastructure;

/// <summary>The one place exceptions become RFC 9457 problem details.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => Validation(validation),
            BadHttpRequestException badRequest => BadRequest(badRequest),
            NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
            ForbiddenAccessException forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", forbidden.Message),
            Domain.Connections.ConnectionStateException state => Problem(StatusCodes.Status400BadRequest, "Invalid authorization state", state.Message),
            NotConfiguredException notConfigured => Problem(StatusCodes.Status501NotImplemented, "Not configured", notConfigured.Message),
            PlatformUnreachableException unreachable => Problem(StatusCodes.Status503ServiceUnavailable, "Platform unavailable", unreachable.Message),
            DomainException domain => Problem(StatusCodes.Status409Conflict, "Conflict", domain.Message),
            Application.Posts.Quotas.QuotaExceededException quota => Problem(StatusCodes.Status409Conflict, "Publishing quota exceeded", quota.Message),
            IdempotencyInProgressException inProgress => Problem(StatusCodes.Status409Conflict, "Request in progress", inProgress.Message),
            IdempotencyKeyReusedException reused => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", reused.Message),
            DbUpdateConcurrencyException => Problem(
                StatusCodes.Status409Conflict,
                "Conflict",
                "The post changed while this request was changing it (a worker may have started publishing it); read it again."),
            _ when DatabaseFailures.IsDuplicateKey(exception) =>
                Problem(StatusCodes.Status409Conflict, "Conflict", "The resource was changed at the same time; try again."),
            _ when DatabaseFailures.IsUnavailable(exception) => Problem(
                StatusCodes.Status503ServiceUnavailable,
                "Service unavailable",
                $"The database is unavailable; retry in {DatabaseFailures.RetryAfter.TotalSeconds:0} s."),
            _ => Problem(StatusCodes.Status500InternalServerError, "Server error", "An unexpected error occurred."),
        };

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = ((int)DatabaseFailures.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>Expected refusals are the caller's business, not the operator's: they are not logged as errors.</summary>
    public static bool IsExpected(Exception exception) => exception is BadHttpRequestException || ExpectedFailures.Is(exception);

    private static ValidationProblemDetails Validation(ValidationException exception)
    {
        var errors = exception.Errors
            .GroupBy(e => string.IsNullOrEmpty(e.PropertyName) ? "request" : e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
        };
    }

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        var detail = exception.InnerException switch
        {
            JsonException { Path: { } path } json => $"The JSON is invalid at {path}: {FirstSentence(json.Message)}",
            JsonException json => $"The JSON is invalid: {FirstSentence(json.Message)}",
            _ => exception.Message,
        };
        return exception.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", detail)
            : Problem(exception.StatusCode, "The request is malformed", detail);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };
}
