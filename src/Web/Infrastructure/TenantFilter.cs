using System.Security.Claims;
using Scheduler.Application.Common.Exceptions;
using Scheduler.Infrastructure;

namespace Scheduler.Web.Infrastructure;

/// <summary>
/// Makes the request act for the company in the token's <c>company_id</c> claim, provisioning the company on first
/// use. A token without a valid claim is refused with 403.
/// </summary>
public sealed class TenantFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var claim = http.User.FindFirstValue(AuthOptions.CompanyClaim);
        if (!Guid.TryParse(claim, out var companyId) || companyId == Guid.Empty)
        {
            throw new ForbiddenAccessException("The token has no valid company_id claim.");
        }

        await http.RequestServices.UseCompanyAsync(
            companyId, http.User.FindFirstValue(AuthOptions.CompanyNameClaim), http.RequestAborted);
        return await next(context);
    }
}
