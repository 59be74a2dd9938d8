using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Posts.SchedulePost;

namespace Scheduler.Application.UnitTests.Posts;

public sealed class SchedulePostCommandValidatorTests
{
    private static readonly SchedulePostCommandValidator Validator = new(new RequestClock(new FixedClock()));

    private static SchedulePostCommand Valid() => new(
        Guid.CreateVersion7(), "Hello", "2027-01-05T09:30:00+01:00", MediaUrls: ["https://cdn.example/a.jpg"],
        Link: "https://example.com/page");

    [Fact]
    public void Validate_AWellFormedCommand_Passes()
    {
        var result = Validator.Validate(Valid());
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    public static TheoryData<string, SchedulePostCommand, string> BadCommands() => new()
    {
        { "socialAccountId", Valid() with { SocialAccountId = Guid.Empty }, "must not be empty" },
        { "clientId", Valid() with { ClientId = Guid.Empty }, "must not be equal" },
        { "content", Valid() with { Content = "" }, "must not be empty" },
        { "content", Valid() with { Content = null! }, "must not be empty" },
        { "runAt", Valid() with { RunAt = "" }, "required" },
        { "runAt", Valid() with { RunAt = "2027-01-05T09:30" }, "no UTC offset" },
        { "runAt", Valid() with { RunAt = "05/01/2027 09:30" }, "not an ISO-8601" },
        { "runAt", Valid() with { RunAt = "2026-11-29T11:59:59Z" }, "must be in the future" },
        { "runAt", Valid() with { RunAt = "2026-11-29T12:00:00Z" }, "must be in the future" },
        { "runAt", Valid() with { RunAt = "2027-03-28T02:30", TimeZone = "Europe/Paris" }, "daylight-saving gap" },
        { "timeZone", Valid() with { RunAt = "2027-01-05T09:30", TimeZone = "Europe/Atlantis" }, "not a known IANA" },
        { "mediaUrls", Valid() with { MediaUrls = ["http://cdn.example/a.jpg"] }, "absolute https" },
        { "mediaUrls", Valid() with { MediaUrls = ["/relative/a.jpg"] }, "absolute https" },
        { "mediaUrls", Valid() with { MediaUrls = ["ftp://cdn.example/a.jpg"] }, "absolute https" },
        { "mediaUrls", Valid() with { MediaUrls = ["https://" + new string('a', 2050) + ".com/x.jpg"] }, "absolute https" },
        {
            "mediaUrls",
            Valid() with { MediaUrls = Enumerable.Range(0, 11).Select(i => $"https://cdn.example/{i}.jpg").ToList() },
            "at most 10"
        },
        { "link", Valid() with { Link = "example.com" }, "absolute http" },
        { "link", Valid() with { Link = "javascript:alert(1)" }, "absolute http" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void Validate_ABadField_IsRefusedOnThatField(string field, SchedulePostCommand command, string message)
    {
        var result = Validator.Validate(command);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(field, error.PropertyName, StringComparison.Ordinal);
        Assert.Contains(message, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LocalTimeWithZone_Passes()
    {
        Assert.True(Validator.Validate(Valid() with { RunAt = "2027-01-05T09:30", TimeZone = "Asia/Tokyo" }).IsValid);
    }
}
