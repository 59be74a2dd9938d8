using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scheduler.Application.Dispatching.Alerts;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.Alerts;

/// <summary>
/// Delivers the outbox: due, undelivered alerts are locked (<c>FOR UPDATE SKIP LOCKED</c>: several nodes share the
/// work), each is written to the log on its first attempt and handed to the sink (the webhook); a failed delivery is
/// tried again with a growing wait (up to <see cref="MaxWait"/>), for as long as it takes. Publishing never waits on it.
/// </summary>
public sealed partial class AlertOutboxSender(
    IServiceScopeFactory scopes, LoggingAlertSink log, IAlertSink sink, TimeProvider clock, ILogger<AlertOutboxSender> logger)
{
    public const int Batch = 20;
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    /// <summary>Delivered alerts are kept this long, for operators, then deleted.</summary>
    public static readonly TimeSpan KeepDelivered = TimeSpan.FromDays(7);

    /// <summary>Delivers what is due now; returns how many alerts were attempted.</summary>
    /// <remarks>
    /// A unit the execution strategy may replay after a dropped connection: an alert delivered in a replayed unit goes
    /// out again with the same delivery id (at least once; receivers de-duplicate on it).
    /// </remarks>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                return await DeliverDueAsync(db, ct);
            },
            cancellationToken);
    }

    private async Task<int> DeliverDueAsync(SchedulerDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.AlertOutbox
            .FromSql($"SELECT * FROM alert_outbox WHERE delivered_at IS NULL AND next_attempt_at <= {now.UtcDateTime} ORDER BY next_attempt_at LIMIT {Batch} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        foreach (var message in due)
        {
            if (message.Attempts == 0)
            {
                await AlertMessages.DeliverAsync(message, log, cancellationToken);
            }

            message.Attempts++;
            AlertDeliveryContext.Current = message.Id;
            try
            {
                await AlertMessages.DeliverAsync(message, sink, cancellationToken);
                message.DeliveredAt = clock.GetUtcNow();
                message.LastError = null;
            }
            catch (AlertDeliveryException ex)
            {
                var wait = FirstWait * Math.Pow(2, Math.Min(message.Attempts - 1, 10));
                message.NextAttemptAt = clock.GetUtcNow() + (wait < MaxWait ? wait : MaxWait);
                message.LastError = ex.Message.Length <= AlertOutboxMessage.LastErrorMaxLength ? ex.Message : ex.Message[..AlertOutboxMessage.LastErrorMaxLength];
                LogRetry(logger, ex, message.Type, message.Id, message.Attempts, message.NextAttemptAt);
            }
            finally
            {
                AlertDeliveryContext.Current = null;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM alert_outbox WHERE delivered_at < {(now - KeepDelivered).UtcDateTime} LIMIT 500", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Alert {AlertType} (delivery {Delivery}) could not be delivered on attempt {Attempt}; trying again at {NextAttemptAt}")]
    private static partial void LogRetry(ILogger logger, Exception exception, string alertType, Guid delivery, int attempt, DateTimeOffset nextAttemptAt);
}

/// <summary>Runs the outbox sender every couple of seconds on worker nodes.</summary>
public sealed partial class AlertOutboxService(AlertOutboxSender sender, ILogger<AlertOutboxService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                while (await sender.DeliverDueAsync(stoppingToken) == AlertOutboxSender.Batch)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && DatabaseFailures.IsUnavailable(ex))
            {
                LogDatabaseAway(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert outbox could not be read (the database is away?); trying again shortly")]
    private static partial void LogDatabaseAway(ILogger logger, Exception exception);
}
