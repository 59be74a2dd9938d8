using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Clients.CreateClient;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.GetScheduledPosts;
using Scheduler.Application.Posts.ReschedulePost;
using Scheduler.Application.Posts.RetryPost;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.UnitTests.Posts;

public sealed class OtherValidatorsTests
{
    private static readonly FixedClock Clock = new();

    [Theory]
    [InlineData(null, null, null, "body")]
    [InlineData("2020-01-01T00:00:00Z", null, null, "runAt")]
    [InlineData("2027-01-05T09:30", null, null, "runAt")]
    [InlineData(null, "", null, "content")]
    [InlineData(null, null, "not a url", "link")]
    public void Reschedule_BadInput_IsRefused(string? runAt, string? content, string? link, string field)
    {
        var result = new ReschedulePostCommandValidator(new RequestClock(Clock))
            .Validate(new ReschedulePostCommand(Guid.CreateVersion7(), runAt, Content: content, Link: link));
        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Fact]
    public void Reschedule_AFutureTime_Passes()
    {
        Assert.True(new ReschedulePostCommandValidator(new RequestClock(Clock))
            .Validate(new ReschedulePostCommand(Guid.CreateVersion7(), "2027-01-05T09:30", "Europe/London")).IsValid);
    }

    [Fact]
    public void Cancel_Retry_EmptyId_AreRefused()
    {
        Assert.False(new CancelPostCommandValidator().Validate(new CancelPostCommand(Guid.Empty)).IsValid);
        Assert.False(new RetryPostCommandValidator().Validate(new RetryPostCommand(Guid.Empty)).IsValid);
    }

    public static TheoryData<string, ConnectSocialAccountCommand> BadConnects()
    {
        var valid = new ConnectSocialAccountCommand(Platform.Facebook, "123", "Page", "token");
        return new()
        {
            { "platform", valid with { Platform = (Platform)42 } },
            { "externalAccountId", valid with { ExternalAccountId = "" } },
            { "externalAccountId", valid with { ExternalAccountId = new string('1', 201) } },
            { "externalAccountId", valid with { Platform = Platform.LinkedIn, ExternalAccountId = "12345" } },
            { "displayName", valid with { DisplayName = " " } },
            { "accessToken", valid with { AccessToken = "" } },
            { "clientId", valid with { ClientId = Guid.Empty } },
            { "tokenExpiresAt", valid with { TokenExpiresAt = FixedClock.Default.AddMinutes(-1) } },
        };
    }

    [Theory]
    [MemberData(nameof(BadConnects))]
    public void ConnectSocialAccount_BadInput_IsRefusedOnThatField(string field, ConnectSocialAccountCommand command)
    {
        var result = new ConnectSocialAccountCommandValidator(Clock).Validate(command);
        Assert.Equal(field, Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void ConnectSocialAccount_ToString_NeverShowsTheToken()
    {
        var command = new ConnectSocialAccountCommand(Platform.LinkedIn, "urn:li:person:1", "Me", "super-secret-token");
        Assert.DoesNotContain("super-secret-token", command.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void CreateClient_WithoutName_IsRefused(string name)
    {
        Assert.Equal("name", Assert.Single(new CreateClientCommandValidator().Validate(new CreateClientCommand(name)).Errors).PropertyName);
    }

    public static TheoryData<string, GetScheduledPostsQuery> BadLists() => new()
    {
        { "limit", new GetScheduledPostsQuery(Limit: 0) },
        { "limit", new GetScheduledPostsQuery(Limit: 201) },
        { "status", new GetScheduledPostsQuery(Status: (PostState)9) },
        { "clientId", new GetScheduledPostsQuery(ClientId: Guid.Empty) },
        { "to", new GetScheduledPostsQuery(From: FixedClock.Default, To: FixedClock.Default) },
        { "cursor", new GetScheduledPostsQuery(Cursor: "garbage") },
    };

    [Theory]
    [MemberData(nameof(BadLists))]
    public void GetScheduledPosts_BadFilter_IsRefusedOnThatField(string field, GetScheduledPostsQuery query)
    {
        Assert.Equal(field, Assert.Single(new GetScheduledPostsQueryValidator().Validate(query).Errors).PropertyName);
    }
}
