using Microsoft.AspNetCore.Http.Features;

namespace Scheduler.Web.Infrastructure;

/// <summary>
/// Refuses request bodies over the limit with 413, whether the size is announced (Content-Length) or not
/// (the server's own limit, which this also sets).
/// </summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next)
{
    public const long MaxBodyBytes = 1024 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new BadHttpRequestException(
                $"The request body is larger than {MaxBodyBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = MaxBodyBytes;
        }

        return next(context);
    }
}
