using Mediator;
using Scheduler.Application.Common.Interfaces;

namespace Scheduler.Application.Common.Behaviours;

/// <summary>
/// Innermost, commands only: the handler runs inside one transaction, its changes are saved and committed together,
/// or nothing is. A command sent while a transaction is open joins it. Queries never open one.
/// </summary>
public sealed class TransactionBehaviour<TMessage, TResponse>(IUnitOfWork unitOfWork)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IManagesOwnTransactions || unitOfWork.HasActiveTransaction)
        {
            return await next(message, cancellationToken);
        }

        return await unitOfWork.ExecuteInTransactionAsync(ct => next(message, ct), cancellationToken);
    }
}
