using Microsoft.Extensions.Logging;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Domain.Common;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>Alerts as structured log events (EventId 9001–9005), for log-based alerting.</summary>
public sealed partial class LoggingAlertSink(ILogger<LoggingAlertSink> logger) : IAlertSink
{
    public Task PostFailedAsync(PostFailedAlert alert, CancellationToken cancellationToken)
    {
        LogPostFailed(logger, alert.PostId, alert.CompanyId, alert.Reason);
        return Task.CompletedTask;
    }

    public Task AccountNeedsReconnectAsync(AccountNeedsReconnectAlert alert, CancellationToken cancellationToken)
    {
        LogNeedsReconnect(logger, alert.AccountId, alert.CompanyId, EnumNames.Of(alert.Platform), alert.Reason);
        return Task.CompletedTask;
    }

    public Task AccountTokenExpiringAsync(AccountTokenExpiringAlert alert, CancellationToken cancellationToken)
    {
        LogTokenExpiring(logger, EnumNames.Of(alert.Platform), alert.AccountId, alert.CompanyId, alert.ExpiresAt);
        return Task.CompletedTask;
    }

    public Task PlatformMisconfiguredAsync(PlatformMisconfiguredAlert alert, CancellationToken cancellationToken)
    {
        LogMisconfigured(logger, EnumNames.Of(alert.Platform), alert.Setting, alert.Reason);
        return Task.CompletedTask;
    }

    public Task FirstCommentFailedAsync(FirstCommentFailedAlert alert, CancellationToken cancellationToken)
    {
        LogFirstCommentFailed(logger, EnumNames.Of(alert.Platform), alert.PostId, alert.CompanyId, alert.ExternalPostId, alert.Reason);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning,
        Message = "ALERT {Platform} post {PostId} of company {CompanyId} is live ({ExternalPostId}) without its first comment: {Reason}")]
    private static partial void LogFirstCommentFailed(ILogger logger, string platform, Guid postId, Guid companyId, string externalPostId, string reason);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error,
        Message = "ALERT post {PostId} of company {CompanyId} failed for good: {Reason}")]
    private static partial void LogPostFailed(ILogger logger, Guid postId, Guid companyId, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error,
        Message = "ALERT {Platform} account {AccountId} of company {CompanyId} needs reconnecting: {Reason}")]
    private static partial void LogNeedsReconnect(ILogger logger, Guid accountId, Guid companyId, string platform, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Error,
        Message = "ALERT {Platform} refuses every post until {Setting} is fixed: {Reason}")]
    private static partial void LogMisconfigured(ILogger logger, string platform, string setting, string reason);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error,
        Message = "ALERT {Platform} account {AccountId} of company {CompanyId}: its token expires at {ExpiresAt}; reconnect it before then")]
    private static partial void LogTokenExpiring(ILogger logger, string platform, Guid accountId, Guid companyId, DateTimeOffset expiresAt);
}
