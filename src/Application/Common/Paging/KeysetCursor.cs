using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Scheduler.Application.Common.Paging;

/// <summary>
/// An opaque position in a list ordered by (runAt, id): the last item of the page before.
/// Encoded as URL-safe base64 of the UTC ticks and the id's bytes.
/// </summary>
public readonly record struct KeysetCursor(DateTimeOffset RunAt, Guid Id)
{
    private const int Size = sizeof(long) + 16;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64BigEndian(bytes, RunAt.UtcTicks);
        Id.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? text, [NotNullWhen(true)] out KeysetCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[48];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != Size)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new KeysetCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[sizeof(long)..Size], bigEndian: true));
        return true;
    }
}
