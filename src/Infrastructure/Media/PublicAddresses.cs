using System.Net;
using System.Net.Sockets;

namespace Scheduler.Infrastructure.Media;

/// <summary>
/// Connections to URLs that callers give (media files, link previews) go to public addresses only: a name that
/// resolves to a loopback, private, link-local or otherwise internal address is refused at connect time (after DNS,
/// so a rebinding name cannot slip through), keeping the server's own network out of reach of its API's callers.
/// </summary>
public static class PublicAddresses
{
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => allowPrivateNetworks || IsPublic(a)).ToList();
            if (allowed.Count == 0)
            {
                throw new NotPublicAddressException(context.DnsEndPoint.Host);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => false,
            100 when b[1] is >= 64 and <= 127 => false, // carrier-grade NAT
            169 when b[1] == 254 => false, // link-local, cloud metadata
            172 when b[1] is >= 16 and <= 31 => false,
            192 when b[1] == 168 => false,
            >= 224 => false, // multicast and reserved
            _ => true,
        };
    }
}

/// <summary>A caller's URL named a host on the server's own network; the connection was not made.</summary>
public sealed class NotPublicAddressException(string host) : IOException($"{host} is not a public address.")
{
    public string Host => host;

    /// <summary>True when the failure of a request was this refusal (the handler wraps it in an HttpRequestException).</summary>
    public static bool Caused(Exception exception) =>
        exception is NotPublicAddressException || (exception.InnerException is { } inner && Caused(inner));
}
