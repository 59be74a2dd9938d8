using Microsoft.Extensions.DependencyInjection;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

public sealed class ContextPoolTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task APooledContext_KeepsSavepointsOff_AfterItIsReturnedAndRentedAgain()
    {
        // A container of this test's own: no other test rents from its pool in between.
        await using var services = DatabaseFixture.BuildServices(Database.Configuration);
        var rented = new HashSet<SchedulerDbContext>(ReferenceEqualityComparer.Instance);
        for (var rental = 0; rental < 3; rental++)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SchedulerDbContext>();
            rented.Add(db);
            Assert.False(db.Database.AutoSavepointsEnabled, $"rental {rental + 1} has savepoints on");
            db.Database.AutoSavepointsEnabled = true; // a caller that changed it must not leak it to the next rental
        }

        Assert.True(rented.Count == 1, $"scopes one after another rented {rented.Count} contexts, not one pooled context");
    }
}
