using System.Diagnostics;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Domain.Common;

namespace Scheduler.Application.Common.Behaviours;

/// <summary>Outermost: names the message, times it, and logs an exception once before it travels on.</summary>
public static class PipelineLog
{
    /// <summary>True when the mediator pipeline has already logged this exception (once, with its message's name).</summary>
    public static bool Logged(Exception exception) => exception.Data.Contains(LoggedKey);

    internal const string LoggedKey = "Scheduler.Logged";
}

public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Elapsed(started);
            LogHandled(logger, name, elapsed);
            return response;
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            var (elapsed, type, reason) = (Elapsed(started), ex.GetType().Name, ex.Message);
            LogRefused(logger, name, type, reason, elapsed);
            throw;
        }
        catch (Exception ex)
        {
            var elapsed = Elapsed(started);
            LogFailed(logger, ex, name, elapsed);
            ex.Data[PipelineLog.LoggedKey] = true;
            throw;
        }
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static bool IsExpected(Exception ex) => ExpectedFailures.Is(ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{MessageName} handled in {ElapsedMs:0.0} ms")]
    private static partial void LogHandled(ILogger logger, string messageName, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{MessageName} refused after {ElapsedMs:0.0} ms: {ExceptionType}: {Reason}")]
    private static partial void LogRefused(
        ILogger logger, string messageName, string exceptionType, string reason, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{MessageName} failed after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, Exception exception, string messageName, double elapsedMs);
}
