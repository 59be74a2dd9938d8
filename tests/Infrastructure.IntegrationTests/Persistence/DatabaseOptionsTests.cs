using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

/// <summary>The connection string the nodes use: the model's settings added, the operator's own choices kept.</summary>
public sealed class DatabaseOptionsTests
{
    [Fact]
    public void PooledConnections_AreNotResetOnEveryOpen_ByDefault()
    {
        var builder = Built("Server=db;Database=scheduler;User=app;Password=secret");

        Assert.False(builder.ConnectionReset);
        Assert.Equal(MySqlGuidFormat.Binary16, builder.GuidFormat);
        Assert.Equal(MySqlDateTimeKind.Utc, builder.DateTimeKind);
    }

    [Theory]
    [InlineData("Connection Reset=true")]
    [InlineData("ConnectionReset=True")]
    public void AResetAskedForInTheConfiguredString_IsKept(string setting)
    {
        Assert.True(Built($"Server=db;Database=scheduler;User=app;Password=secret;{setting}").ConnectionReset);
    }

    private static MySqlConnectionStringBuilder Built(string configured) =>
        new(DatabaseOptions.ConnectionString(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Scheduler"] = configured })
            .Build()));
}
