using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Behaviours;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Domain.Connections;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Connections.CompleteConnection;

/// <summary>
/// The platform sent the person back: spend the <c>state</c> (once), exchange the code, list the accounts the person
/// can publish to and keep them for a while. Answers where to send the person: the flow's return URL with
/// <c>connectionId</c>, and <c>error</c> when they declined or the exchange failed. A <c>state</c> that is unknown or
/// already used is refused (400) without a redirect. No company token: the <c>state</c> names the company.
/// </summary>
public sealed record CompleteConnectionCommand(
    AccountLogin Platform,
    string? Code,
    string? State,
    string? Error = null,
    string? ErrorDescription = null) : ICommand<ConnectionCallbackResult>, IManagesOwnTransactions
{
    /// <summary>Keeps the code and state out of logs.</summary>
    public override string ToString() => $"{nameof(CompleteConnectionCommand)} {{ Platform = {Platform}, Error = {Error} }}";
}

public sealed record ConnectionCallbackResult(Guid ConnectionId, ConnectionStatus Status, string RedirectUrl);

public sealed partial class CompleteConnectionCommandHandler(
    IApplicationDbContext db,
    IUnitOfWork unitOfWork,
    IEnumerable<IOAuthProvider> providers,
    IOptions<ConnectionOptions> options,
    ITokenProtector tokens,
    TimeProvider clock,
    ILogger<CompleteConnectionCommandHandler> logger) : ICommandHandler<CompleteConnectionCommand, ConnectionCallbackResult>
{
    /// <summary>Ours are 43 characters; anything much longer was not issued here and is not hashed.</summary>
    private const int MaxStateLength = 200;

    public async ValueTask<ConnectionCallbackResult> Handle(CompleteConnectionCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(command.State) || command.State.Length > MaxStateLength)
        {
            throw new ConnectionStateException(ConnectionStateProblem.Unknown, "The callback carries no valid state: start the connection from this service.");
        }

        var hash = OAuthSecrets.Hash(command.State);
        (Connection Connection, string? Verifier) spent;
        try
        {
            spent = await unitOfWork.ExecuteInTransactionAsync(ct => SpendAsync(hash, command, ct), cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Two callbacks with one state at once: the other one spent it.
            throw new ConnectionStateException(ConnectionStateProblem.AlreadyUsed, "This authorization was already completed: start a new connection.");
        }

        if (spent.Connection.Status != ConnectionStatus.Exchanging)
        {
            return Result(spent.Connection);
        }

        var provider = providers.First(p => p.Login == command.Platform);
        IReadOnlyList<AuthorizedAccount>? accounts = null;
        OAuthExchangeException? refusal = null;
        try
        {
            accounts = await provider.ExchangeAsync(
                command.Code!, options.Value.RedirectUri(command.Platform), spent.Verifier, cancellationToken);
        }
        catch (OAuthExchangeException ex)
        {
            LogExchangeFailed(logger, command.Platform, ex.Error, ex.Message);
            refusal = ex;
        }

        var id = spent.Connection.Id;
        var finished = await unitOfWork.ExecuteInTransactionAsync(
            async ct =>
            {
                var connection = await db.Connections.SingleAsync(c => c.Id == id, ct);
                var now = clock.UtcNow();
                if (refusal is not null)
                {
                    connection.Fail(refusal.Error, refusal.Message, now);
                }
                else
                {
                    connection.Authorize(
                        accounts!.Select(a => new ConnectionCandidate(
                            a.Platform, a.ExternalAccountId, a.DisplayName, command.Platform,
                            a.AccessToken is null ? null : tokens.Protect(a.AccessToken), a.TokenExpiresAt,
                            a.RefreshToken is null ? null : tokens.Protect(a.RefreshToken), a.RefreshTokenExpiresAt, a.Problem)),
                        now,
                        TimeSpan.FromMinutes(options.Value.CandidateLifetimeMinutes));
                }

                return connection;
            },
            cancellationToken);
        return Result(finished);
    }

    private async ValueTask<(Connection Connection, string? Verifier)> SpendAsync(
        string hash, CompleteConnectionCommand command, CancellationToken ct)
    {
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.StateHash == hash && c.Login == command.Platform, ct)
                         ?? throw new ConnectionStateException(ConnectionStateProblem.Unknown, "The state is not one this service issued for this platform: start the connection from this service.");
        var now = clock.UtcNow();
        var verifier = connection.CodeVerifierEncrypted is { } sealedVerifier && tokens.TryUnprotect(sealedVerifier, out var clear) ? clear : null;
        if (!connection.SpendState(now))
        {
            return (connection, null);
        }

        if (!string.IsNullOrEmpty(command.Error))
        {
            connection.Decline(command.Error, command.ErrorDescription, now);
        }
        else if (string.IsNullOrEmpty(command.Code))
        {
            connection.Fail("invalid_request", "The platform sent the person back without a code.", now);
        }

        return (connection, verifier);
    }

    private static ConnectionCallbackResult Result(Connection connection)
    {
        // Return URLs were checked when the flow started: absolute, without a fragment.
        var query = "connectionId=" + connection.Id.ToString("D")
                    + (connection.Error is { } error ? "&error=" + Uri.EscapeDataString(error) : string.Empty);
        var separator = connection.ReturnUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new ConnectionCallbackResult(connection.Id, connection.Status, connection.ReturnUrl + separator + query);
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "The {Platform} authorization could not be completed ({Error}): {Reason}")]
    private static partial void LogExchangeFailed(ILogger logger, AccountLogin platform, string error, string reason);
}
