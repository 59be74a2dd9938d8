using System.Net;
using Scheduler.Infrastructure.Media;

namespace Scheduler.Infrastructure.IntegrationTests.Platforms;

public sealed class PublicAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    public void OnlyPublicAddressesAreReachable(string address, bool reachable)
    {
        Assert.Equal(reachable, PublicAddresses.IsPublic(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task AConnectionToTheServersOwnNetwork_IsRefused_BeforeAnythingIsSent()
    {
        using var fake = WireMock.Server.WireMockServer.Start();
        using var client = new HttpClient(PublicAddresses.Handler(allowPrivateNetworks: false));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(fake.Url + "/x", TestContext.Current.CancellationToken));

        Assert.True(NotPublicAddressException.Caused(refused));
        Assert.Empty(fake.LogEntries);
    }
}
