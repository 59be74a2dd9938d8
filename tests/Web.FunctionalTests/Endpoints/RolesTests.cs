using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Scheduler.Web.FunctionalTests.Endpoints;

public sealed class RolesTests(SchedulerFactory factory) : FunctionalTest(factory)
{
    [Fact]
    public async Task AWorkerOnlyNode_ServesHealthButNoApi_AndRunsTheScheduler()
    {
        await using var worker = Factory.WithWebHostBuilder(b => b.UseSetting("Scheduler:Roles", "worker"));
        var client = worker.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/clients", Ct)).StatusCode);
        Assert.Contains(worker.Services.GetServices<IHostedService>(), s => s.GetType().Name.Contains("Quartz", StringComparison.Ordinal));
    }

    [Fact]
    public void AnApiOnlyNode_RunsNoScheduler()
    {
        Assert.DoesNotContain(Factory.Services.GetServices<IHostedService>(), s => s.GetType().Name.Contains("Quartz", StringComparison.Ordinal));
        Assert.Null(Factory.Services.GetService<ISchedulerFactory>());
    }
}
