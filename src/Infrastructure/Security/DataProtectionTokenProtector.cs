using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Scheduler.Application.Common.Interfaces;

namespace Scheduler.Infrastructure.Security;

/// <summary>Encrypts access tokens with ASP.NET Core Data Protection; the key ring lives in the database.</summary>
internal sealed class DataProtectionTokenProtector(IDataProtectionProvider provider) : ITokenProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Scheduler.SocialAccounts.AccessToken.v1");

    public string Protect(string accessToken) => _protector.Protect(accessToken);

    public bool TryUnprotect(string protectedToken, [NotNullWhen(true)] out string? accessToken)
    {
        try
        {
            accessToken = _protector.Unprotect(protectedToken);
            return true;
        }
        catch (CryptographicException)
        {
            // The key that encrypted it is gone: the caller asks for a reconnect.
            accessToken = null;
            return false;
        }
    }
}
