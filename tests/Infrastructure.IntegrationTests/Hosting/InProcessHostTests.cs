using FluentValidation;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Application.Posts;
using Scheduler.Application.Posts.CancelPost;
using Scheduler.Application.Posts.GetScheduledPosts;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Application.SocialAccounts.ConnectSocialAccount;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Infrastructure.IntegrationTests.Hosting;

/// <summary>Another .NET host — here a plain generic host, no web server — uses Scheduler through the mediator.</summary>
public sealed class InProcessHostTests(DatabaseFixture database) : IntegrationTest(database)
{
    [Fact]
    public async Task AGenericHost_SchedulesListsAndCancels_WithTheSameRulesAsTheApi()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["ConnectionStrings:Scheduler"] = Database.ConnectionString });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddScheduler(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var companyId = Guid.CreateVersion7();

        Guid postId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.UseCompanyAsync(companyId, "Integration Inc.", Ct);
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            var account = (await sender.Send(
                new ConnectSocialAccountCommand(Platform.LinkedIn, "urn:li:organization:42", "Org", "li-token"), Ct)).Account;
            var post = await sender.Send(
                new SchedulePostCommand(account.Id, "From a console app", DateTimeOffset.UtcNow.AddHours(3).ToString("O")), Ct);
            postId = post.Id;

            await Assert.ThrowsAsync<ValidationException>(async () =>
                await sender.Send(new SchedulePostCommand(account.Id, "late", "2000-01-01T00:00:00Z"), Ct));
            Assert.Equal(postId, Assert.Single((await sender.Send(new GetScheduledPostsQuery(), Ct)).Items).Id);
        }

        await using (var otherTenant = host.Services.CreateAsyncScope())
        {
            await otherTenant.ServiceProvider.UseCompanyAsync(Guid.CreateVersion7(), cancellationToken: Ct);
            var sender = otherTenant.ServiceProvider.GetRequiredService<ISender>();
            await Assert.ThrowsAsync<NotFoundException>(async () => await sender.Send(new CancelPostCommand(postId), Ct));
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.UseCompanyAsync(companyId, cancellationToken: Ct);
            var cancelled = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CancelPostCommand(postId), Ct);
            Assert.Equal(PostState.Cancelled, cancelled.Status);
        }

        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task SendingWithoutACompany_FailsClearly()
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetScheduledPostsQuery(), Ct));
        Assert.Contains("UseCompanyAsync", ex.Message, StringComparison.Ordinal);
    }
}
