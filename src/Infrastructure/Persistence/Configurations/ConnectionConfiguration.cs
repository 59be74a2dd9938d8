using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Scheduler.Domain.Companies;
using Scheduler.Domain.Connections;

namespace Scheduler.Infrastructure.Persistence.Configurations;

public sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("connections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.StateHash).HasColumnType("char(64)").IsRequired();
        builder.Property(c => c.CodeVerifierEncrypted).HasColumnType("text");
        builder.Property(c => c.ReturnUrl).HasMaxLength(Connection.ReturnUrlMaxLength).IsRequired();
        builder.Property(c => c.Error).HasMaxLength(Connection.ErrorMaxLength);
        builder.Property(c => c.ErrorDescription).HasMaxLength(Connection.ErrorDescriptionMaxLength);
        // The state is spent by moving the status on: two callbacks racing with one state cannot both win.
        builder.Property(c => c.Status).IsConcurrencyToken();
        // The accounts found, their tokens encrypted; read and written whole with the connection.
        builder.Property(c => c.Candidates)
            .HasColumnName("candidates")
            .HasColumnType("mediumtext")
            .HasConversion(
                candidates => JsonSerializer.Serialize(candidates, Json),
                json => JsonSerializer.Deserialize<List<ConnectionCandidate>>(json, Json) ?? new List<ConnectionCandidate>(),
                new ValueComparer<IReadOnlyList<ConnectionCandidate>>(
                    (a, b) => a!.SequenceEqual(b!),
                    c => c.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                    c => c.ToList()))
            .IsRequired();
        builder.HasIndex(c => c.StateHash).IsUnique();
        builder.HasIndex(c => c.ExpiresAt);
        builder.HasOne<Company>().WithMany().HasForeignKey(c => c.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(c => c.DomainEvents);
    }
}
