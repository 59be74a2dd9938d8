using Scheduler.Application.Dispatching;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Dispatching;

namespace Scheduler.Infrastructure.IntegrationTests.Dispatching;

public sealed class PublishLimitsTests
{
    private static readonly Guid AccountA = Guid.CreateVersion7();
    private static readonly Guid AccountB = Guid.CreateVersion7();

    private static ClaimedJob Job(Guid account, Platform platform = Platform.Facebook) =>
        new(Guid.CreateVersion7(), account, platform, Guid.CreateVersion7(), 1, 3, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, new JobContent("x", [], null, null), new JobAccount("ext", "Page", SocialAccountStatus.Active, "enc"));

    [Fact]
    public void AnAccountAtItsLimit_IsBusy_UntilItsCallEnds()
    {
        using var limits = new PublishLimits(new DispatcherOptions { MaxInFlight = 10, MaxInFlightPerAccount = 1 }, live: false);

        using var first = limits.TryAcquire(Job(AccountA));
        Assert.NotNull(first);
        Assert.Null(limits.TryAcquire(Job(AccountA)));
        Assert.Equal([AccountA], limits.BusyAccounts);
        Assert.Equal(9, limits.FreeSlots);

        first!.EndCall();

        Assert.Empty(limits.BusyAccounts);
        using var second = limits.TryAcquire(Job(AccountA));
        Assert.NotNull(second);
        Assert.Equal(8, limits.FreeSlots); // the first still holds its slot until its row is finished
    }

    [Fact]
    public void TheSlots_CapWhatIsInFlight_AndADeniedPermitHoldsNothing()
    {
        using var limits = new PublishLimits(new DispatcherOptions { MaxInFlight = 1, MaxInFlightPerAccount = 1 }, live: false);

        using var only = limits.TryAcquire(Job(AccountA));
        Assert.NotNull(only);
        Assert.Null(limits.TryAcquire(Job(AccountB)));
        Assert.Equal([AccountA], limits.BusyAccounts);

        only!.Dispose();

        Assert.Equal(1, limits.FreeSlots);
        Assert.NotNull(limits.TryAcquire(Job(AccountB)));
    }

    [Fact]
    public void APlatformCallRate_IsATokenBucketPerPlatform_AndLiveModeHasCeilingsByDefault()
    {
        var settings = new DispatcherOptions { MaxInFlight = 100, MaxInFlightPerAccount = 5 };
        settings.PlatformCallsPerSecond["LinkedIn"] = 2;
        using var limits = new PublishLimits(settings, live: false);

        var granted = Enumerable.Range(0, 5).Select(_ => limits.TryAcquire(Job(Guid.CreateVersion7(), Platform.LinkedIn))).ToList();

        Assert.Equal(2, granted.Count(p => p is not null));
        Assert.NotNull(limits.TryAcquire(Job(AccountB, Platform.Facebook))); // the sandbox sets no rate for the others
        Assert.Equal(5, PublishLimits.LiveDefaults[Platform.LinkedIn]);
        granted.ForEach(p => p?.Dispose());
    }
}
