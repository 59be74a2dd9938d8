using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Domain.Common;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>
/// One transaction per command, inside EF's execution strategy so a transient failure (deadlock, dropped
/// connection) replays the whole unit on a clean change tracker. Domain events go out after the commit; the alerts
/// they call for are written to the outbox inside it.
/// </summary>
internal sealed class UnitOfWork(SchedulerDbContext db, IServiceProvider services, TimeProvider clock) : IUnitOfWork
{
    public bool HasActiveTransaction => db.Database.CurrentTransaction is not null;

    public async Task<T> ExecuteInTransactionAsync<T>(
        Func<CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var attempt = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        var (result, events) = await strategy.ExecuteAsync(
            async ct =>
            {
                if (attempt++ > 0)
                {
                    db.ChangeTracker.Clear();
                }

                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var response = await work(ct);
                var raised = TakeDomainEvents();
                // Alerts are part of the change they report: written in its transaction, delivered by the outbox.
                foreach (var alert in raised.Select(e => Alerts.AlertMessages.From(e, clock.GetUtcNow())).OfType<Alerts.AlertOutboxMessage>())
                {
                    db.AlertOutbox.Add(alert);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return (response, raised);
            },
            cancellationToken);

        if (events.Count > 0)
        {
            // Resolved here, not injected: the mediator builds this behaviour's pipeline.
            var publisher = services.GetRequiredService<IPublisher>();
            foreach (var domainEvent in events)
            {
                await publisher.Publish(domainEvent, cancellationToken);
            }
        }

        return result;
    }

    private List<IDomainEvent> TakeDomainEvents()
    {
        var entities = db.ChangeTracker.Entries<Entity>()
            .Select(e => e.Entity)
            .Where(e => e.DomainEvents.Count > 0)
            .ToList();
        var events = entities.SelectMany(e => e.DomainEvents).ToList();
        entities.ForEach(e => e.ClearDomainEvents());
        return events;
    }
}
