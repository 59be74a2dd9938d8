using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Scheduler.Infrastructure.Persistence.Conventions;

/// <summary>Stores every instant as a UTC <c>DATETIME(6)</c>, the form the queue's SQL compares with UTC_TIMESTAMP(6).</summary>
public sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTime>(
    value => value.UtcDateTime,
    value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
