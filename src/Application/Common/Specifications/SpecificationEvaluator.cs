using System.Reflection;
using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;

namespace Scheduler.Application.Common.Specifications;

/// <summary>
/// Applies an <see cref="ISpecification{T}"/> to an EF Core query: criteria, includes (and then-includes),
/// ordering, paging and tracking. It covers what Scheduler's specifications use; anything else is refused loudly.
/// </summary>
public static class SpecificationEvaluator
{
    private static readonly MethodInfo IncludeMethod = typeof(EntityFrameworkQueryableExtensions)
        .GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.Include)
                     && m.GetParameters()[1].ParameterType != typeof(string));

    private static readonly MethodInfo ThenIncludeAfterReferenceMethod = ThenInclude(afterCollection: false);

    private static readonly MethodInfo ThenIncludeAfterCollectionMethod = ThenInclude(afterCollection: true);

    public static IQueryable<T> WithSpecification<T>(this IQueryable<T> source, ISpecification<T> specification)
        where T : class
    {
        if (specification.SearchCriterias.Any() || specification.IncludeStrings.Any() || specification.AsSplitQuery)
        {
            throw new NotSupportedException(
                "Search criteria, string includes and split queries are not supported by this evaluator.");
        }

        var query = source;
        foreach (var where in specification.WhereExpressions)
        {
            query = query.Where(where.Filter);
        }

        query = ApplyIncludes(query, specification);
        query = ApplyOrder(query, specification);

        if (specification.Skip > 0)
        {
            query = query.Skip(specification.Skip);
        }

        if (specification.Take > 0)
        {
            query = query.Take(specification.Take);
        }

        if (specification.AsNoTracking)
        {
            query = query.AsNoTracking();
        }
        else if (specification.AsNoTrackingWithIdentityResolution)
        {
            query = query.AsNoTrackingWithIdentityResolution();
        }
        else if (specification.AsTracking)
        {
            query = query.AsTracking();
        }

        if (specification.IgnoreQueryFilters)
        {
            query = query.IgnoreQueryFilters();
        }

        foreach (var tag in specification.QueryTags)
        {
            query = query.TagWith(tag);
        }

        return query;
    }

    private static IQueryable<T> ApplyOrder<T>(IQueryable<T> query, ISpecification<T> specification)
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var order in specification.OrderExpressions)
        {
            ordered = order.OrderType switch
            {
                OrderTypeEnum.OrderBy => query.OrderBy(order.KeySelector),
                OrderTypeEnum.OrderByDescending => query.OrderByDescending(order.KeySelector),
                OrderTypeEnum.ThenBy => ordered!.ThenBy(order.KeySelector),
                OrderTypeEnum.ThenByDescending => ordered!.ThenByDescending(order.KeySelector),
                _ => throw new NotSupportedException($"Order {order.OrderType} is not supported."),
            };
            query = ordered;
        }

        return query;
    }

    private static IQueryable<T> ApplyIncludes<T>(IQueryable<T> query, ISpecification<T> specification)
        where T : class
    {
        foreach (var include in specification.IncludeExpressions)
        {
            var lambda = include.LambdaExpression;
            var method = include.Type switch
            {
                IncludeTypeEnum.Include => IncludeMethod.MakeGenericMethod(typeof(T), lambda.ReturnType),
                IncludeTypeEnum.ThenInclude when IsCollection(include.PreviousPropertyType!) =>
                    ThenIncludeAfterCollectionMethod.MakeGenericMethod(
                        typeof(T), include.PreviousPropertyType!.GenericTypeArguments[0], lambda.ReturnType),
                IncludeTypeEnum.ThenInclude => ThenIncludeAfterReferenceMethod.MakeGenericMethod(
                    typeof(T), include.PreviousPropertyType!, lambda.ReturnType),
                _ => throw new NotSupportedException($"Include {include.Type} is not supported."),
            };
            query = (IQueryable<T>)method.Invoke(null, [query, lambda])!;
        }

        return query;
    }

    private static bool IsCollection(Type type) =>
        type != typeof(string) && type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    /// <summary>EF has two ThenInclude overloads: after a reference, and after a collection (IEnumerable).</summary>
    private static MethodInfo ThenInclude(bool afterCollection) => typeof(EntityFrameworkQueryableExtensions)
        .GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.ThenInclude)
                     && m.GetParameters()[0].ParameterType.GenericTypeArguments[1].IsGenericType == afterCollection);
}
