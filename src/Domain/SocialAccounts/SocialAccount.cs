using System.Globalization;
using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts.Events;

namespace Scheduler.Domain.SocialAccounts;

/// <summary>
/// A connected Facebook Page, Instagram business account or LinkedIn member/organization.
/// The access token is held only in encrypted form; the domain never sees it in clear.
/// </summary>
public sealed class SocialAccount : Entity
{
    public const int ExternalAccountIdMaxLength = 200;
    public const int DisplayNameMaxLength = 200;

    /// <summary>For EF Core.</summary>
    private SocialAccount() : base(Guid.Empty)
    {
        ExternalAccountId = null!;
        DisplayName = null!;
        AccessTokenEncrypted = null!;
    }

    private SocialAccount(
        Guid id,
        Guid companyId,
        Guid? clientId,
        Platform platform,
        string externalAccountId,
        string displayName,
        string accessTokenEncrypted,
        DateTimeOffset? tokenExpiresAt,
        AccountLogin login,
        DateTimeOffset now) : base(id)
    {
        CompanyId = companyId;
        Login = login;
        ClientId = clientId;
        Platform = platform;
        ExternalAccountId = externalAccountId;
        DisplayName = displayName;
        AccessTokenEncrypted = accessTokenEncrypted;
        TokenExpiresAt = tokenExpiresAt;
        Status = SocialAccountStatus.Active;
        CreatedAt = now;
        UpdatedAt = now;
    }

    /// <summary>The account's posting times (its queue), or null: "next-slot" scheduling needs them.</summary>
    public PostingSlots? PostingSlots { get; private set; }

    public Guid CompanyId { get; private set; }

    public Guid? ClientId { get; private set; }

    public Platform Platform { get; private set; }

    /// <summary>How the token was obtained; for Instagram it decides the API host.</summary>
    public AccountLogin Login { get; private set; }

    public string ExternalAccountId { get; private set; }

    public string DisplayName { get; private set; }

    public string AccessTokenEncrypted { get; private set; }

    public DateTimeOffset? TokenExpiresAt { get; private set; }

    /// <summary>A refresh token (LinkedIn apps that have them), encrypted; renews the access token before it expires.</summary>
    public string? RefreshTokenEncrypted { get; private set; }

    /// <summary>When the refresh token itself expires (LinkedIn's does not move when it is used).</summary>
    public DateTimeOffset? RefreshTokenExpiresAt { get; private set; }

    public SocialAccountStatus Status { get; private set; }

    public string? StatusReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Can publish: active, or expiring (its token still works until it expires).</summary>
    public bool IsActive => Status is SocialAccountStatus.Active or SocialAccountStatus.Expiring;

    public static SocialAccount Connect(
        Guid companyId,
        Guid? clientId,
        Platform platform,
        string externalAccountId,
        string displayName,
        string accessTokenEncrypted,
        DateTimeOffset? tokenExpiresAt,
        DateTimeOffset now,
        AccountLogin? login = null,
        RefreshToken? refresh = null)
    {
        RequireText(externalAccountId, "an external account id");
        RequireText(accessTokenEncrypted, "an access token");
        var through = RequireLogin(login ?? AccountLogins.DefaultFor(platform), platform);
        var account = new SocialAccount(
            Ids.New(), companyId, clientId, platform, externalAccountId.Trim(), displayName.Trim(),
            accessTokenEncrypted, tokenExpiresAt, through, now);
        account.KeepRefreshToken(refresh);
        account.Raise(new SocialAccountConnectedEvent(account.Id, companyId, platform, now));
        return account;
    }

    /// <summary>Replaces the token of an account connected again, and makes it usable again.</summary>
    public void Reconnect(
        string displayName,
        string accessTokenEncrypted,
        DateTimeOffset? tokenExpiresAt,
        Guid? clientId,
        DateTimeOffset now,
        AccountLogin? login = null,
        RefreshToken? refresh = null)
    {
        RequireText(accessTokenEncrypted, "an access token");
        Login = RequireLogin(login ?? Login, Platform);
        KeepRefreshToken(refresh);
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            DisplayName = displayName.Trim();
        }

        AccessTokenEncrypted = accessTokenEncrypted;
        TokenExpiresAt = tokenExpiresAt;
        ClientId = clientId ?? ClientId;
        Status = SocialAccountStatus.Active;
        StatusReason = null;
        UpdatedAt = now;
        Raise(new SocialAccountConnectedEvent(Id, CompanyId, Platform, now));
    }

    /// <summary>
    /// The token is about to expire and nothing here can renew it: the account is marked expiring (once) so someone
    /// reconnects it in time; once the expiry has passed, it needs reconnecting.
    /// </summary>
    public void CheckTokenExpiry(TimeSpan warnBefore, DateTimeOffset now)
    {
        if (TokenExpiresAt is not { } expires || !IsActive)
        {
            return;
        }

        if (expires <= now)
        {
            RequireReconnect(string.Create(CultureInfo.InvariantCulture, $"The access token expired at {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: reconnect the account."), now);
        }
        else if (expires - now <= warnBefore && Status == SocialAccountStatus.Active)
        {
            Status = SocialAccountStatus.Expiring;
            StatusReason = string.Create(CultureInfo.InvariantCulture, $"The access token expires at {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: reconnect the account before then.")
                           + (_refreshFailure is { } failure ? $" Renewing it failed: {failure}" : string.Empty);
            UpdatedAt = now;
            Raise(new SocialAccountTokenExpiringEvent(Id, CompanyId, Platform, expires, now));
        }
    }

    private string? _refreshFailure;

    /// <summary>A renewal the platform refused: the expiry warning that follows says so.</summary>
    public void NoteRefreshFailure(string failure) => _refreshFailure = failure;

    /// <summary>The platform renewed the token: the new one replaces it, and an expiring account is active again.</summary>
    public void RenewToken(string accessTokenEncrypted, DateTimeOffset expiresAt, DateTimeOffset now, RefreshToken? refresh = null)
    {
        RequireText(accessTokenEncrypted, "an access token");
        AccessTokenEncrypted = accessTokenEncrypted;
        if (refresh is not null)
        {
            KeepRefreshToken(refresh);
        }

        TokenExpiresAt = expiresAt;
        if (Status == SocialAccountStatus.Expiring)
        {
            Status = SocialAccountStatus.Active;
            StatusReason = null;
        }

        UpdatedAt = now;
    }

    /// <summary>The platform refused the token: stop publishing until someone reconnects the account.</summary>
    public void RequireReconnect(string reason, DateTimeOffset now)
    {
        if (Status == SocialAccountStatus.NeedsReconnect)
        {
            return;
        }

        Status = SocialAccountStatus.NeedsReconnect;
        StatusReason = reason;
        UpdatedAt = now;
        Raise(new SocialAccountNeedsReconnectEvent(Id, CompanyId, Platform, reason, now));
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        if (Status == SocialAccountStatus.Disabled)
        {
            return;
        }

        Status = SocialAccountStatus.Disabled;
        StatusReason = reason;
        UpdatedAt = now;
    }

    /// <summary>Whether a refresh token is held that has not expired.</summary>
    public bool CanRenewWithRefreshToken(DateTimeOffset now) =>
        RefreshTokenEncrypted is not null && (RefreshTokenExpiresAt is null || RefreshTokenExpiresAt > now);

    private void KeepRefreshToken(RefreshToken? refresh)
    {
        RefreshTokenEncrypted = refresh?.TokenEncrypted;
        RefreshTokenExpiresAt = refresh?.ExpiresAt;
    }

    private static AccountLogin RequireLogin(AccountLogin login, Platform platform) =>
        login.Serves(platform)
            ? login
            : throw new DomainException($"A {EnumNames.Of(platform)} account cannot be connected through {EnumNames.Of(login)} login.");

    private static void RequireText(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException($"A social account needs {what}.");
        }
    }

    /// <summary>Sets (or, with null, removes) the account's posting times.</summary>
    public void SetPostingSlots(PostingSlots? slots, DateTimeOffset now)
    {
        PostingSlots = slots;
        UpdatedAt = now;
    }
}

/// <summary>An encrypted refresh token and when it expires.</summary>
public sealed record RefreshToken(string TokenEncrypted, DateTimeOffset? ExpiresAt);
