using Microsoft.Extensions.DependencyInjection;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

public sealed class ContextPoolTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task APooledContext_KeepsSavepointsOff_AfterItIsReturnedAndRentedAgain()
    {
        var rented = new HashSet<SchedulerDbContext>(ReferenceEqualityComparer.Instance);
        for (var rental = 0; rental < 3; rental++)
        {
            await using var scope = Database.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
            rented.Add(db);
            Assert.False(db.Database.AutoSavepointsEnabled, $"rental {rental + 1} has savepoints on");
            db.Database.AutoSavepointsEnabled = true; // a caller that changed it must not leak it to the next rental
        }

        Assert.True(rented.Count < 3, "scopes one after another rent the same pooled context");
    }
}
