using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Dispatching;

/// <summary>
/// Keeps the leases of the rows this node is working on alive: every <c>Dispatcher:LeaseRenewSeconds</c> one
/// fenced UPDATE extends them all. A row whose lease was lost (another node took it over) has its work cancelled, so
/// the node finishes nothing it no longer holds. While the database is away nothing can be renewed: the work goes on,
/// and its finish is fenced.
/// </summary>
public sealed partial class LeaseKeeper(IJobQueue queue, IOptions<DispatcherOptions> options, TimeProvider clock, ILogger<LeaseKeeper> logger)
{
    private readonly ConcurrentDictionary<Guid, Held> _held = new();

    public int Count => _held.Count;

    /// <summary>Starts renewing the row's lease until the returned handle is disposed.</summary>
    public Held Track(ClaimedJob job)
    {
        var held = new Held(this, job.Hold);
        _held[job.PostId] = held;
        return held;
    }

    /// <summary>Renews until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.LeaseRenewal, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await RenewOnceAsync(settings.Lease, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the run is over: nothing left to renew
        }
    }

    /// <summary>One renewal of every held lease; the lost ones are cancelled. Returns how many were lost.</summary>
    public async Task<int> RenewOnceAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        var holds = _held.Values.Select(h => h.Hold).ToList();
        if (holds.Count == 0)
        {
            return 0;
        }

        IReadOnlySet<Guid> lost;
        try
        {
            lost = await queue.RenewLeasesAsync(holds, lease, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRenewFailed(logger, ex, holds.Count);
            return 0;
        }

        foreach (var postId in lost)
        {
            if (_held.TryGetValue(postId, out var held))
            {
                LogLeaseLost(logger, postId);
                held.Lose();
            }
        }

        return lost.Count;
    }

    /// <summary>A row being worked on; <see cref="Lost"/> fires when another node has it now.</summary>
    public sealed class Held(LeaseKeeper keeper, LeaseHold hold) : IDisposable
    {
        private readonly CancellationTokenSource _lost = new();
        private readonly Lock _gate = new();
        private bool _disposed;

        public LeaseHold Hold => hold;

        public CancellationToken Lost => _lost.Token;

        internal void Lose()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _lost.Cancel();
                }
            }
        }

        public void Dispose()
        {
            keeper._held.TryRemove(new KeyValuePair<Guid, Held>(hold.PostId, this));
            lock (_gate)
            {
                _disposed = true;
            }

            _lost.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not renew {Count} leases (the database is away?); the work goes on and its finish is fenced")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Lease on post {PostId} was lost (another worker holds it now): its work here is cancelled")]
    private static partial void LogLeaseLost(ILogger logger, Guid postId);
}
