namespace Scheduler.Web.Infrastructure;

/// <summary>The header that carries a request's idempotency key (the IETF draft's name, as Stripe and others use it).</summary>
public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
}
