namespace Scheduler.Application.Dispatching;

/// <summary>The random part of a retry's backoff (full jitter): a number in [0, 1). A port so tests can pin it.</summary>
public interface IJitter
{
    double Sample();
}

public sealed class RandomJitter : IJitter
{
    public double Sample() => Random.Shared.NextDouble();
}
