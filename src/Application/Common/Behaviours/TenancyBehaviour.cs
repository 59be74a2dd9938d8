using Mediator;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Common.Behaviours;

/// <summary>
/// Right after logging: a message naming a company other than the caller's is refused (403) before validation,
/// idempotency or any read, so the answer never depends on what else is wrong with the request.
/// </summary>
public sealed class TenancyBehaviour<TMessage, TResponse>(ICurrentCompany company) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is ICompanyScoped scoped)
        {
            company.EnsureIs(scoped.CompanyId);
        }

        return next(message, cancellationToken);
    }
}
