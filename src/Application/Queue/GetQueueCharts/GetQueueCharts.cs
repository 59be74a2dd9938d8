using System.Text.Json.Serialization;
using FluentValidation;
using Mediator;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;

namespace Scheduler.Application.Queue.GetQueueCharts;

public enum ChartWindow
{
    [JsonStringEnumMemberName("hour")]
    Hour,

    [JsonStringEnumMemberName("day")]
    Day,
}

/// <summary>
/// One minute of the queue, rolled up by a worker once the minute is over: posts published and failed in it, attempts
/// that ended without publishing and put their post back (retried), the depth when it was sampled (due, pending for
/// later, processing) and how late that minute's posts left (p50/p95/p99, milliseconds).
/// </summary>
public sealed record QueueMinute(
    DateTimeOffset Minute,
    int Published,
    int Failed,
    int Retried,
    int Due,
    int PendingFuture,
    int Processing,
    double? LatenessP50Ms,
    double? LatenessP95Ms,
    double? LatenessP99Ms);

/// <summary>The per-minute rollups (<c>queue_rollups</c>): one row per company and minute, and one for the whole queue.</summary>
public interface IQueueRollups
{
    /// <summary>The minutes since <paramref name="from"/> of a company, or of the whole queue when <paramref name="companyId"/> is null.</summary>
    Task<IReadOnlyList<QueueMinute>> ReadAsync(Guid? companyId, DateTimeOffset from, CancellationToken cancellationToken);

    /// <summary>
    /// The sums of the minutes rolled up since <paramref name="from"/> of a company (or the whole queue), the published
    /// ones since <paramref name="recentFrom"/> too, and where the rolled-up minutes end: what happened after
    /// <see cref="RolledUpTotals.Through"/> is still to be counted live.
    /// </summary>
    Task<RolledUpTotals> TotalsAsync(Guid? companyId, DateTimeOffset from, DateTimeOffset recentFrom, CancellationToken cancellationToken);
}

/// <param name="Through">The end of the last minute rolled up for the whole queue since the start; null when none is.</param>
public sealed record RolledUpTotals(int Published, int Failed, int Recovered, int PublishedRecently, DateTimeOffset? Through)
{
    /// <summary>From when to count live: the end of the rolled-up minutes, or <paramref name="from"/> when there are none.</summary>
    public DateTimeOffset LiveFrom(DateTimeOffset from) => Through is { } through && through > from ? through : from;
}

public sealed record QueueChartsDto(ChartWindow Window, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<QueueMinute> Minutes);

/// <summary>The company's queue minute by minute over the last hour or day, for charts.</summary>
public sealed record GetQueueChartsQuery(ChartWindow Window = ChartWindow.Hour, Guid? CompanyId = null) : IQuery<QueueChartsDto>, ICompanyScoped;

/// <summary>The whole queue minute by minute (operators).</summary>
public sealed record GetOperatorQueueChartsQuery(ChartWindow Window = ChartWindow.Hour) : IQuery<QueueChartsDto>;

public sealed class GetQueueChartsQueryValidator : AbstractValidator<GetQueueChartsQuery>
{
    public GetQueueChartsQueryValidator() => RuleFor(q => q.Window).IsInEnum();
}

public sealed class GetQueueChartsQueryHandler(IQueueRollups rollups, ICurrentCompany company, TimeProvider clock)
    : IQueryHandler<GetQueueChartsQuery, QueueChartsDto>
{
    public async ValueTask<QueueChartsDto> Handle(GetQueueChartsQuery query, CancellationToken cancellationToken) =>
        await QueueCharts.ReadAsync(rollups, company.Id, query.Window, clock, cancellationToken);
}

public sealed class GetOperatorQueueChartsQueryHandler(IQueueRollups rollups, TimeProvider clock)
    : IQueryHandler<GetOperatorQueueChartsQuery, QueueChartsDto>
{
    public async ValueTask<QueueChartsDto> Handle(GetOperatorQueueChartsQuery query, CancellationToken cancellationToken) =>
        await QueueCharts.ReadAsync(rollups, null, query.Window, clock, cancellationToken);
}

internal static class QueueCharts
{
    public static async Task<QueueChartsDto> ReadAsync(
        IQueueRollups rollups, Guid? companyId, ChartWindow window, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var from = now - (window == ChartWindow.Day ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1));
        return new QueueChartsDto(window, from, now, await rollups.ReadAsync(companyId, from, cancellationToken));
    }
}
