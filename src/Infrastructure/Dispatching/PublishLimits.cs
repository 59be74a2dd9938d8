using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.Dispatching;

/// <summary>
/// What one node may have in flight: a global cap (<c>Dispatcher:MaxInFlight</c>), a concurrency limit per account
/// and a token bucket per platform (<c>Dispatcher:PlatformCallsPerSecond</c>), chained. Permits are taken without
/// waiting: a row that cannot have one goes back to the queue at once without spending an attempt, and the accounts
/// already at their limit are named to the claim so their rows are not claimed in the first place.
/// </summary>
public sealed class PublishLimits : IDisposable
{
    /// <summary>
    /// Live-mode ceilings on each platform app's calls per second from one node. The platforms publish budgets, not
    /// rates (docs/platforms.md): these spread a top-of-the-hour burst rather than spend a day's budget in a minute.
    /// </summary>
    public static readonly IReadOnlyDictionary<Platform, double> LiveDefaults = new Dictionary<Platform, double>
    {
        [Platform.Facebook] = 25,
        [Platform.Instagram] = 25,
        [Platform.LinkedIn] = 5,
    };

    private readonly ConcurrencyLimiter _global;
    private readonly PartitionedRateLimiter<ClaimedJob> _perJob;
    private readonly ConcurrentDictionary<Guid, int> _accountsInFlight = new();
    private readonly int _maxInFlight;
    private readonly int _perAccount;

    public PublishLimits(DispatcherOptions settings, bool live)
    {
        _perAccount = settings.MaxInFlightPerAccount;
        _maxInFlight = settings.MaxInFlight;
        _global = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = settings.MaxInFlight, QueueLimit = 0 });
        var rates = Rates(settings, live);
        var perAccount = PartitionedRateLimiter.Create<ClaimedJob, Guid>(job =>
            RateLimitPartition.GetConcurrencyLimiter(job.SocialAccountId, _ =>
                new ConcurrencyLimiterOptions { PermitLimit = settings.MaxInFlightPerAccount, QueueLimit = 0 }));
        var perPlatform = PartitionedRateLimiter.Create<ClaimedJob, Platform>(job =>
            rates.TryGetValue(job.Platform, out var rate)
                ? RateLimitPartition.GetTokenBucketLimiter(job.Platform, _ => Bucket(rate))
                : RateLimitPartition.GetNoLimiter(job.Platform));
        _perJob = PartitionedRateLimiter.CreateChained(perAccount, perPlatform);
    }

    /// <summary>Free publishing slots on this node.</summary>
    /// <summary>Publishes in flight on this node now.</summary>
    public int InFlight => _maxInFlight - FreeSlots;

    public int FreeSlots => (int)(_global.GetStatistics()?.CurrentAvailablePermits ?? 0);

    /// <summary>Accounts with as many publishes in flight here as they may have.</summary>
    public IReadOnlyCollection<Guid> BusyAccounts =>
        [.. _accountsInFlight.Where(a => a.Value >= _perAccount).Select(a => a.Key)];

    /// <summary>A slot alone, for a take-over: it asks the platform a question, it does not publish.</summary>
    public Permit? TryAcquireSlot(Guid account)
    {
        var global = _global.AttemptAcquire();
        if (!global.IsAcquired)
        {
            global.Dispose();
            return null;
        }

        _accountsInFlight.AddOrUpdate(account, 1, (_, n) => n + 1);
        return new Permit(this, account, global, null);
    }

    /// <summary>The permits for one publish, or null (nothing held) when any limit says no.</summary>
    public Permit? TryAcquire(ClaimedJob job)
    {
        var global = _global.AttemptAcquire();
        if (!global.IsAcquired)
        {
            global.Dispose();
            return null;
        }

        var lease = _perJob.AttemptAcquire(job);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            global.Dispose();
            return null;
        }

        _accountsInFlight.AddOrUpdate(job.SocialAccountId, 1, (_, n) => n + 1);
        return new Permit(this, job.SocialAccountId, global, lease);
    }

    public void Dispose()
    {
        _global.Dispose();
        _perJob.Dispose();
    }

    /// <summary>An account with nothing left in flight leaves the map, so it holds only the accounts being served.</summary>
    private void Release(Guid account)
    {
        if (_accountsInFlight.AddOrUpdate(account, 0, (_, n) => Math.Max(0, n - 1)) == 0)
        {
            _accountsInFlight.TryRemove(new KeyValuePair<Guid, int>(account, 0));
        }
    }

    private static Dictionary<Platform, double> Rates(DispatcherOptions settings, bool live)
    {
        var rates = live ? new Dictionary<Platform, double>(LiveDefaults) : [];
        foreach (var (name, rate) in settings.PlatformCallsPerSecond)
        {
            rates[Enum.Parse<Platform>(name, ignoreCase: true)] = rate;
        }

        return rates;
    }

    /// <summary>A bucket of one second's calls, refilled ten times a second (or once per call for slow rates).</summary>
    private static TokenBucketRateLimiterOptions Bucket(double perSecond)
    {
        var fast = perSecond >= 10;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Ceiling(perSecond)),
            TokensPerPeriod = fast ? (int)Math.Ceiling(perSecond / 10) : 1,
            ReplenishmentPeriod = fast ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1 / perSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>
    /// Held for one publish: <see cref="EndCall"/> frees the account and the platform's share once the call is over;
    /// disposing it also frees the slot, once the row is finished.
    /// </summary>
    public sealed class Permit(PublishLimits limits, Guid account, RateLimitLease global, RateLimitLease? call) : IDisposable
    {
        private int _callEnded;
        private int _disposed;

        public void EndCall()
        {
            if (Interlocked.Exchange(ref _callEnded, 1) == 0)
            {
                limits.Release(account);
                call?.Dispose();
            }
        }

        public void Dispose()
        {
            EndCall();
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                global.Dispose();
            }
        }
    }
}
