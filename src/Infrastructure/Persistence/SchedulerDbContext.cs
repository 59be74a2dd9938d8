using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Domain.Clients;
using Scheduler.Domain.Companies;
using Scheduler.Domain.Connections;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;
using Scheduler.Infrastructure.Persistence.Conventions;
using Scheduler.Infrastructure.Platforms.Sandbox;

namespace Scheduler.Infrastructure.Persistence;

public sealed class SchedulerDbContext : DbContext, IApplicationDbContext, IDataProtectionKeyContext
{
    public SchedulerDbContext(DbContextOptions<SchedulerDbContext> options)
        : base(options)
    {
        // Every transaction here is one unit of work, rolled back whole when anything fails: a savepoint around each
        // save inside it would only add two round trips (SAVEPOINT, RELEASE) to every command and every claim.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<SocialAccount> SocialAccounts => Set<SocialAccount>();

    public DbSet<Post> Posts => Set<Post>();

    public DbSet<PostSchedule> PostSchedules => Set<PostSchedule>();

    public DbSet<PostAttempt> PostAttempts => Set<PostAttempt>();

    public DbSet<Connection> Connections => Set<Connection>();

    public DbSet<SandboxPublication> SandboxPublications => Set<SandboxPublication>();

    public DbSet<WorkerHeartbeat> WorkerHeartbeats => Set<WorkerHeartbeat>();

    public DbSet<Queue.QueueRollup> QueueRollups => Set<Queue.QueueRollup>();

    public DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Idempotency.IdempotencyRecord>();

    public DbSet<Alerts.AlertOutboxMessage> AlertOutbox => Set<Alerts.AlertOutboxMessage>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>()
            .HaveConversion<UtcDateTimeOffsetConverter>()
            .HaveColumnType("datetime(6)");
        configurationBuilder.Properties<string>().AreUnicode();
        configurationBuilder.Properties<Platform>().HaveConversion<LowerNameEnumConverter<Platform>>().HaveMaxLength(16);
        configurationBuilder.Properties<SocialAccountStatus>()
            .HaveConversion<LowerNameEnumConverter<SocialAccountStatus>>().HaveMaxLength(32);
        configurationBuilder.Properties<PostStatus>().HaveConversion<LowerNameEnumConverter<PostStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<AccountLogin>().HaveConversion<LowerNameEnumConverter<AccountLogin>>().HaveMaxLength(16);
        configurationBuilder.Properties<PostFormat>().HaveConversion<LowerNameEnumConverter<PostFormat>>().HaveMaxLength(16);
        configurationBuilder.Properties<ConnectionStatus>()
            .HaveConversion<LowerNameEnumConverter<ConnectionStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<ScheduleStatus>()
            .HaveConversion<LowerNameEnumConverter<ScheduleStatus>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Both, in this order: without the collation the first migration resets the database to utf8mb4_general_ci.
        modelBuilder.HasCharSet("utf8mb4");
        modelBuilder.UseCollation("utf8mb4_unicode_ci", DelegationModes.ApplyToAll);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SchedulerDbContext).Assembly);
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        SnakeCaseNames.Apply(modelBuilder);
    }
}
