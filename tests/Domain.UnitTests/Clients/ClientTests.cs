using Scheduler.Domain.Clients;
using Scheduler.Domain.Common;
using Scheduler.Domain.Companies;

namespace Scheduler.Domain.UnitTests.Clients;

public sealed class ClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_TrimsTheName()
    {
        var client = Client.Create(Guid.CreateVersion7(), "  Bakery  ", Now);
        Assert.Equal("Bakery", client.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_WithoutName_ThrowsDomainException(string name)
    {
        Assert.Throws<DomainException>(() => Client.Create(Guid.CreateVersion7(), name, Now));
    }

    [Fact]
    public void Company_Provision_FallsBackToTheIdForAName()
    {
        var id = Guid.CreateVersion7();
        Assert.Equal(id.ToString(), Company.Provision(id, "", Now).Name);
        Assert.Throws<DomainException>(() => Company.Provision(Guid.Empty, "x", Now));
    }
}
