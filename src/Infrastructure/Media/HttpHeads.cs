namespace Scheduler.Infrastructure.Media;

/// <summary>Reads no more of a response body than is needed: the head of a file, the head of a page.</summary>
public static class HttpHeads
{
    public static async Task<byte[]> ReadAsync(HttpContent content, int maxBytes, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[maxBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
        }

        return buffer[..read];
    }
}
