using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

namespace Scheduler.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the model without a host and without connecting to a server.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<SchedulerDbContext>
{
    public SchedulerDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var options = new DbContextOptionsBuilder<SchedulerDbContext>();
        DependencyInjection.ConfigureMySql(options, configuration, new DatabaseOptions());
        return new SchedulerDbContext(options.Options);
    }
}
