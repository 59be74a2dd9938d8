using Scheduler.Domain.Common;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.UnitTests.Common;

public sealed class EnumNamesTests
{
    [Fact]
    public void Of_UsesTheDeclaredNameForApiDatabaseAndQueryAlike()
    {
        Assert.Equal("linkedin", EnumNames.Of(Platform.LinkedIn));
        Assert.Equal("needs_reconnect", EnumNames.Of(SocialAccountStatus.NeedsReconnect));
        Assert.Equal("processing", EnumNames.Of(ScheduleStatus.Processing));
        Assert.Equal(["pending", "draft", "pending_approval", "published", "failed", "cancelled", "missed"], EnumNames.All<PostStatus>().Values);
        Assert.Equal(PostStatus.Missed, EnumNames.Parse<PostStatus>("missed"));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnumNames.Parse<PostStatus>("Missed"));
    }
}
