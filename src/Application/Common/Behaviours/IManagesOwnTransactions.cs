namespace Scheduler.Application.Common.Behaviours;

/// <summary>
/// A command that runs many short transactions of its own (the queue's claim and finish steps) and must not be
/// wrapped in one long transaction by <see cref="TransactionBehaviour{TMessage,TResponse}"/>.
/// </summary>
public interface IManagesOwnTransactions;
