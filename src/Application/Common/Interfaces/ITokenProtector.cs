using System.Diagnostics.CodeAnalysis;

namespace Scheduler.Application.Common.Interfaces;

/// <summary>Encrypts platform access tokens at rest. The clear token exists only for the platform call.</summary>
public interface ITokenProtector
{
    string Protect(string accessToken);

    /// <summary>False when the token cannot be decrypted any more (the key ring changed or the value was damaged).</summary>
    bool TryUnprotect(string protectedToken, [NotNullWhen(true)] out string? accessToken);
}
