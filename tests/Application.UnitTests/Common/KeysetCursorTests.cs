using Scheduler.Application.Common.Paging;

namespace Scheduler.Application.UnitTests.Common;

public sealed class KeysetCursorTests
{
    [Fact]
    public void Encode_ThenDecode_RoundTrips()
    {
        var cursor = new KeysetCursor(new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1230), Guid.CreateVersion7());
        var text = cursor.Encode();

        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
        Assert.True(KeysetCursor.TryDecode(text, out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("AAAA")]
    [InlineData("////////////////////////////////")]
    public void TryDecode_Garbage_IsRefused(string text)
    {
        Assert.False(KeysetCursor.TryDecode(text, out _));
    }
}
