using Scheduler.Infrastructure;
using Scheduler.Infrastructure.Scheduling;
using Scheduler.Web;
using Scheduler.Web.Endpoints;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddScheduler(builder.Configuration);
builder.AddWeb();

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.UseWeb();
if (SchedulerRoles.From(app.Configuration).Api)
{
    app.MapScheduledPosts();
    app.MapSocialAccounts();
    app.MapConnections();
    app.MapOperations();
    app.MapClients();
    app.MapQueueHealth();
    app.MapCalendar();
    app.MapImport();
}

await app.RunAsync();

/// <summary>The web host's entry point, visible to the functional tests.</summary>
public partial class Program;
