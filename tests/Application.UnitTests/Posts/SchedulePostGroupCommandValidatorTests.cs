using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Posts.SchedulePostGroup;

namespace Scheduler.Application.UnitTests.Posts;

public sealed class SchedulePostGroupCommandValidatorTests
{
    private static readonly Guid First = Guid.CreateVersion7();
    private static readonly Guid Second = Guid.CreateVersion7();
    private static readonly SchedulePostGroupCommandValidator Validator = new(new RequestClock(new FixedClock()));

    private static SchedulePostGroupCommand Valid() => new(
        [First, Second], "Hello", "2027-01-05T09:30:00+01:00", Variants: [new PostVariant(Second, "Hello, LinkedIn")]);

    [Fact]
    public void Validate_AWellFormedCommand_Passes()
    {
        var result = Validator.Validate(Valid());
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    public static TheoryData<string, SchedulePostGroupCommand, string> BadCommands() => new()
    {
        { "socialAccountIds", Valid() with { SocialAccountIds = [], Variants = null }, "must not be empty" },
        { "socialAccountIds", Valid() with { SocialAccountIds = [First, First], Variants = null }, "names an account twice" },
        { "socialAccountIds", Valid() with { SocialAccountIds = [First, Guid.Empty], Variants = null }, "empty id" },
        {
            "socialAccountIds",
            Valid() with { SocialAccountIds = [.. Enumerable.Range(0, 51).Select(_ => Guid.CreateVersion7())], Variants = null },
            "at most 50"
        },
        { "variants[0]", Valid() with { Variants = [new PostVariant(Guid.CreateVersion7(), "Stray")] }, "not in socialAccountIds" },
        { "variants", Valid() with { Variants = [new PostVariant(Second, "a"), new PostVariant(Second, "b")] }, "names an account twice" },
        { "variants[0].content", Valid() with { Variants = [new PostVariant(Second, "")] }, "must not be empty" },
        { "variants[0].content", Valid() with { Variants = [new PostVariant(Second)] }, "content, a firstComment, or both" },
        { "content", Valid() with { Content = "" }, "must not be empty" },
        { "runAt", Valid() with { RunAt = "2026-11-29T11:59:59Z" }, "must be in the future" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void Validate_ABadField_IsRefusedOnThatField(string field, SchedulePostGroupCommand command, string message)
    {
        var result = Validator.Validate(command);

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.PropertyName, StringComparer.OrdinalIgnoreCase);
        Assert.Contains(message, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentFor_TakesTheAccountsVariant_ElseTheSharedContent()
    {
        Assert.Equal(("Hello", "Hello, LinkedIn"), (Valid().ContentFor(First), Valid().ContentFor(Second)));
    }

    [Fact]
    public void FirstCommentFor_TakesTheAccountsVariant_ElseTheSharedComment_AndAVariantMayChangeOnlyTheComment()
    {
        var command = Valid() with { FirstComment = "Shared", Variants = [new PostVariant(Second, FirstComment: "Own")] };

        Assert.True(Validator.Validate(command).IsValid);
        Assert.Equal(("Shared", "Own"), (command.FirstCommentFor(First), command.FirstCommentFor(Second)));
        Assert.Equal(("Hello", "Hello"), (command.ContentFor(First), command.ContentFor(Second)));
    }
}
