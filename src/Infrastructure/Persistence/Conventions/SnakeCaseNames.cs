using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary>Names columns, keys, foreign keys and indexes in snake_case, unless a configuration named them.</summary>
public static class SnakeCaseNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(store) == property.Name)
                {
                    property.SetColumnName(Snake(property.Name));
                }
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(key.IsPrimaryKey()
                    ? $"pk_{table}"
                    : $"ak_{table}_{string.Join("_", key.Properties.Select(p => Snake(p.Name)))}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var principal = foreignKey.PrincipalEntityType.GetTableName();
                foreignKey.SetConstraintName(
                    $"fk_{table}_{principal}_{string.Join("_", foreignKey.Properties.Select(p => Snake(p.Name)))}");
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(index.Name is { } named
                    ? named
                    : $"ix_{table}_{string.Join("_", index.Properties.Select(p => Snake(p.Name)))}");
            }
        }
    }

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name.TrimStart('_'));
}
