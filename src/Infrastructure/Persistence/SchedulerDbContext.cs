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

    public DbSet<Queue.PostCount> PostCounts => Set<Queue.PostCount>();

    public DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Idempotency.IdempotencyRecord>();

    public DbSet<Alerts.AlertOutboxMessage> AlertOutbox => Set<Alerts.AlertOutboxMessage>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    private static readonly Func<SchedulerDbContext, Guid, CancellationToken, Task<SocialAccount?>> SocialAccountById =
        EF.CompileAsyncQuery((SchedulerDbContext db, Guid id, CancellationToken ct) => db.SocialAccounts.FirstOrDefault(a => a.Id == id));

    public async ValueTask<SocialAccount?> FindSocialAccountAsync(Guid id, CancellationToken cancellationToken) =>
        SocialAccounts.Local.FindEntry(id)?.Entity ?? await SocialAccountById(this, id, cancellationToken);

    private IReadOnlyList<Queue.CountDelta>? _pendingCounts;

    /// <summary>Saves, and adds what the save changes in the number of posts by status to <c>post_counts</c> in its transaction.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var deltas = Queue.PostCounts.DeltasOf(ChangeTracker);
        if (deltas.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            return await SaveWithCountsAsync(deltas, acceptAllChangesOnSuccess, cancellationToken);
        }

        // A save outside a unit of work gets a transaction of its own: the counts move with the posts or not at all.
        return await Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                await using var transaction = await Database.BeginTransactionAsync(ct);
                var saved = await SaveWithCountsAsync(deltas, false, ct);
                await transaction.CommitAsync(ct);
                if (acceptAllChangesOnSuccess)
                {
                    ChangeTracker.AcceptAllChanges();
                }

                return saved;
            },
            cancellationToken);
    }

    /// <summary>The counts a save hands to its first command (<see cref="Queue.PostCountsInterceptor"/>); null once taken.</summary>
    internal IReadOnlyList<Queue.CountDelta>? TakePendingCounts()
    {
        var deltas = _pendingCounts;
        _pendingCounts = null;
        return deltas;
    }

    /// <summary>The save, with its counts in its first command; in a statement of their own if no command took them.</summary>
    private async Task<int> SaveWithCountsAsync(
        IReadOnlyList<Queue.CountDelta> deltas, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        _pendingCounts = deltas;
        try
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (TakePendingCounts() is { } untaken)
            {
                await Queue.PostCounts.ApplyAsync(this, untaken, cancellationToken);
            }

            return saved;
        }
        finally
        {
            _pendingCounts = null;
        }
    }

    /// <summary>Posts are saved asynchronously only (their counts are written with them); the rest may use this.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        Queue.PostCounts.DeltasOf(ChangeTracker).Count == 0
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new NotSupportedException("Posts are saved with SaveChangesAsync, which keeps post_counts with them.");

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
        configurationBuilder.Properties<FirstCommentStatus>()
            .HaveConversion<LowerNameEnumConverter<FirstCommentStatus>>().HaveMaxLength(16);
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
