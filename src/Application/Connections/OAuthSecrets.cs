using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Scheduler.Application.Connections;

/// <summary>The random values of a flow: the <c>state</c> (kept only as a hash) and the PKCE verifier and challenge.</summary>
public static class OAuthSecrets
{
    /// <summary>256 random bits, base64url: the <c>state</c> sent to the platform, or a PKCE verifier (43 characters).</summary>
    public static string NewRandom() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    /// <summary>The S256 challenge of a verifier (RFC 7636 §4.2).</summary>
    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
