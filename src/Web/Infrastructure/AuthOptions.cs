using System.ComponentModel.DataAnnotations;

namespace Scheduler.Web.Infrastructure;

/// <summary>JWT validation (<c>Auth:*</c>). Development gets values from appsettings.Development.json only.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string CompanyClaim = "company_id";
    public const string CompanyNameClaim = "company_name";

    /// <summary>A token whose <c>role</c> claim is <see cref="OperatorRole"/> sees and acts on every company's queue.</summary>
    public const string RoleClaim = "role";

    public const string OperatorRole = "operator";

    /// <summary>A company token whose <c>role</c> claims include this may approve the company's posts awaiting approval.</summary>
    public const string ApproverRole = "approver";

    /// <summary>The HS256 key; at least 32 characters.</summary>
    [Required(ErrorMessage = "Auth:SigningKey is required (at least 32 characters).")]
    [MinLength(32, ErrorMessage = "Auth:SigningKey must have at least 32 characters.")]
    public string SigningKey { get; set; } = string.Empty;

    [Required(ErrorMessage = "Auth:Issuer is required.")]
    public string Issuer { get; set; } = string.Empty;

    [Required(ErrorMessage = "Auth:Audience is required.")]
    public string Audience { get; set; } = string.Empty;
}
