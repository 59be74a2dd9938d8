namespace Scheduler.Application.Common.Interfaces;

/// <summary>Encrypts platform access tokens at rest. The clear token exists only for the platform call.</summary>
public interface ITokenProtector
{
    string Protect(string accessToken);

    string Unprotect(string protectedToken);
}
