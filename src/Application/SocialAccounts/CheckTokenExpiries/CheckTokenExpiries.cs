using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.SocialAccounts.CheckTokenExpiries;

/// <summary><c>Accounts:*</c>: how long before a token's expiry its account is marked expiring (with an alert).</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    [Range(1, 60)]
    public int ExpiryWarningDays { get; set; } = 7;

    /// <summary>
    /// Whether <c>POST /social-accounts</c> asks the platform about a pasted token before saving it (Sandbox mode never
    /// asks). Off for offline use: the token is then taken on trust.
    /// </summary>
    public bool VerifyPastedTokens { get; set; } = true;
}

/// <summary>
/// The daily look at every company's tokens: an account whose token expires within <c>Accounts:ExpiryWarningDays</c>
/// becomes <c>expiring</c> (one alert), one whose token has expired needs reconnecting (one alert). A system command:
/// it acts for no company.
/// </summary>
public sealed record CheckTokenExpiriesCommand : ICommand<CheckTokenExpiriesResult>;

public sealed record CheckTokenExpiriesResult(int Expiring, int Expired, int Refreshed = 0);

/// <remarks>
/// Tokens the platform can renew (Instagram Login; LinkedIn with a refresh token) are renewed first; one whose renewal fails is treated as one that
/// cannot be renewed — marked expiring, with an alert whose reason says the renewal failed — never dropped silently.
/// </remarks>
public sealed class CheckTokenExpiriesCommandHandler(
    IApplicationDbContext db, TimeProvider clock, IOptions<AccountOptions> options, ITokenRefresher refresher, ITokenProtector tokens)
    : ICommandHandler<CheckTokenExpiriesCommand, CheckTokenExpiriesResult>
{
    public async ValueTask<CheckTokenExpiriesResult> Handle(CheckTokenExpiriesCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var warnBefore = TimeSpan.FromDays(options.Value.ExpiryWarningDays);
        var horizon = now + warnBefore;
        var accounts = await db.SocialAccounts
            .Where(a => a.TokenExpiresAt != null && a.TokenExpiresAt <= horizon
                        && (a.Status == SocialAccountStatus.Active || a.Status == SocialAccountStatus.Expiring))
            .ToListAsync(cancellationToken);
        var (expiring, expired, refreshed) = (0, 0, 0);
        foreach (var account in accounts)
        {
            if (account.TokenExpiresAt > now && refresher.CanRefresh(account) && tokens.TryUnprotect(account.AccessTokenEncrypted, out var token))
            {
                var refreshToken = account.RefreshTokenEncrypted is { } sealedRefresh && tokens.TryUnprotect(sealedRefresh, out var clearRefresh)
                    ? clearRefresh
                    : null;
                var refresh = await refresher.RefreshAsync(account, token, refreshToken, cancellationToken);
                if (refresh.Succeeded)
                {
                    account.RenewToken(
                        tokens.Protect(refresh.AccessToken!),
                        refresh.ExpiresAt!.Value,
                        now,
                        refresh.RefreshToken is null ? null : new RefreshToken(tokens.Protect(refresh.RefreshToken), refresh.RefreshTokenExpiresAt));
                    refreshed++;
                    continue;
                }

                account.NoteRefreshFailure(refresh.Failure ?? "the platform did not renew it");
            }

            var before = account.Status;
            account.CheckTokenExpiry(warnBefore, now);
            expiring += before == SocialAccountStatus.Active && account.Status == SocialAccountStatus.Expiring ? 1 : 0;
            expired += account.Status == SocialAccountStatus.NeedsReconnect ? 1 : 0;
        }

        return new CheckTokenExpiriesResult(expiring, expired, refreshed);
    }
}
