using System.Text.Json.Serialization;
using Scheduler.Domain.Common;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Domain.Connections;

public enum ConnectionStatus
{
    /// <summary>The person is on the platform's consent screen; the <c>state</c> is waiting for the callback.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The callback arrived and its code is being exchanged: the <c>state</c> is spent.</summary>
    [JsonStringEnumMemberName("exchanging")]
    Exchanging,

    /// <summary>The accounts the person can publish to are listed and can be connected until the connection expires.</summary>
    [JsonStringEnumMemberName("authorized")]
    Authorized,

    [JsonStringEnumMemberName("declined")]
    Declined,

    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>
/// An account the person who consented can publish to, found by the platform's listing. Its token is held encrypted and
/// only until the connection expires; <see cref="Problem"/> says why it cannot be connected, when it cannot.
/// </summary>
public sealed record ConnectionCandidate(
    Platform Platform,
    string ExternalAccountId,
    string DisplayName,
    AccountLogin Login,
    string? AccessTokenEncrypted,
    DateTimeOffset? TokenExpiresAt,
    string? RefreshTokenEncrypted = null,
    DateTimeOffset? RefreshTokenExpiresAt = null,
    string? Problem = null)
{
    public bool CanConnect => Problem is null && AccessTokenEncrypted is not null;
}

/// <summary>
/// One run of a platform's OAuth authorization-code flow for a company: started with a random single-use
/// <c>state</c> (only its hash is kept), completed by the callback that spends it, then holding the accounts found
/// until some are connected or the connection expires.
/// </summary>
public sealed class Connection : Entity
{
    public const int ReturnUrlMaxLength = 2000;
    public const int ErrorMaxLength = 100;
    public const int ErrorDescriptionMaxLength = 1000;

    private List<ConnectionCandidate> _candidates = [];

    /// <summary>For EF Core.</summary>
    private Connection() : base(Guid.Empty)
    {
        StateHash = null!;
        ReturnUrl = null!;
    }

    private Connection(
        Guid id, Guid companyId, AccountLogin login, string stateHash, string? codeVerifierEncrypted, string returnUrl,
        Guid? clientId, DateTimeOffset now, DateTimeOffset expiresAt) : base(id)
    {
        CompanyId = companyId;
        Login = login;
        StateHash = stateHash;
        CodeVerifierEncrypted = codeVerifierEncrypted;
        ReturnUrl = returnUrl;
        ClientId = clientId;
        Status = ConnectionStatus.Pending;
        CreatedAt = now;
        UpdatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid CompanyId { get; private set; }

    /// <summary>Which flow: Facebook Login (Pages and their Instagram accounts), Instagram Login, or LinkedIn.</summary>
    public AccountLogin Login { get; private set; }

    /// <summary>SHA-256 of the <c>state</c> sent to the platform: a database read cannot complete a flow.</summary>
    public string StateHash { get; private set; }

    /// <summary>The PKCE verifier, encrypted, for platforms that take one.</summary>
    public string? CodeVerifierEncrypted { get; private set; }

    public string ReturnUrl { get; private set; }

    /// <summary>The client the connected accounts will belong to.</summary>
    public Guid? ClientId { get; private set; }

    public ConnectionStatus Status { get; private set; }

    /// <summary>A short code (<c>access_denied</c>, <c>exchange_failed</c>) when declined or failed.</summary>
    public string? Error { get; private set; }

    public string? ErrorDescription { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Until then the <c>state</c> is accepted (pending) or the candidates can be connected (authorized).</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public IReadOnlyList<ConnectionCandidate> Candidates
    {
        get => _candidates.AsReadOnly();
        private set => _candidates = [.. value];
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public static Connection Start(
        Guid companyId, AccountLogin login, string stateHash, string? codeVerifierEncrypted, string returnUrl,
        Guid? clientId, DateTimeOffset now, TimeSpan stateLifetime)
    {
        if (string.IsNullOrWhiteSpace(stateHash))
        {
            throw new DomainException("A connection needs the hash of its state.");
        }

        if (string.IsNullOrWhiteSpace(returnUrl) || returnUrl.Length > ReturnUrlMaxLength)
        {
            throw new DomainException("A connection needs a return URL.");
        }

        return new Connection(Ids.New(), companyId, login, stateHash, codeVerifierEncrypted, returnUrl, clientId, now, now + stateLifetime);
    }

    /// <summary>
    /// The callback arrived with this connection's <c>state</c>: it is spent now, whatever follows. A second callback
    /// with the same state is refused; one after the state expired fails the connection (false: nothing to exchange).
    /// </summary>
    public bool SpendState(DateTimeOffset now)
    {
        if (Status != ConnectionStatus.Pending)
        {
            throw new ConnectionStateException(ConnectionStateProblem.AlreadyUsed, "This authorization was already completed: start a new connection.");
        }

        if (IsExpired(now))
        {
            Fail("expired", "The consent took longer than the connection allows: start a new connection.", now);
            return false;
        }

        Status = ConnectionStatus.Exchanging;
        UpdatedAt = now;
        return true;
    }

    /// <summary>The person declined on the platform's consent screen.</summary>
    public void Decline(string error, string? description, DateTimeOffset now)
    {
        RequireStatus(ConnectionStatus.Exchanging);
        Status = ConnectionStatus.Declined;
        Error = Truncate(error, ErrorMaxLength);
        ErrorDescription = Truncate(description, ErrorDescriptionMaxLength);
        CodeVerifierEncrypted = null;
        UpdatedAt = now;
    }

    /// <summary>The exchange or the account listing failed; nothing can be connected from this run.</summary>
    public void Fail(string error, string description, DateTimeOffset now)
    {
        Status = ConnectionStatus.Failed;
        Error = Truncate(error, ErrorMaxLength);
        ErrorDescription = Truncate(description, ErrorDescriptionMaxLength);
        CodeVerifierEncrypted = null;
        _candidates = [];
        UpdatedAt = now;
    }

    /// <summary>The platform granted access: these are the accounts the person can publish to, for a while.</summary>
    public void Authorize(IEnumerable<ConnectionCandidate> candidates, DateTimeOffset now, TimeSpan keepFor)
    {
        RequireStatus(ConnectionStatus.Exchanging);

        _candidates = candidates
            .Where(c => c.Login == Login && Login.Serves(c.Platform))
            .DistinctBy(c => (c.Platform, c.ExternalAccountId))
            .ToList();
        Status = ConnectionStatus.Authorized;
        CodeVerifierEncrypted = null;
        ExpiresAt = now + keepFor;
        UpdatedAt = now;
    }

    /// <summary>The candidates to connect, by external id: each must be listed and connectable, or nothing is.</summary>
    public IReadOnlyList<ConnectionCandidate> Choose(IReadOnlyCollection<string> externalAccountIds, DateTimeOffset now)
    {
        if (Status != ConnectionStatus.Authorized)
        {
            throw new DomainException($"This connection is {EnumNames.Of(Status)}: there is nothing to connect.");
        }

        if (IsExpired(now))
        {
            throw new DomainException("This connection expired and its tokens were dropped: start a new connection.");
        }

        if (externalAccountIds.Select(ProblemWith).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new DomainException(problem);
        }

        var wanted = externalAccountIds.ToHashSet(StringComparer.Ordinal);
        var chosen = _candidates.Where(c => wanted.Contains(c.ExternalAccountId)).ToList();
        UpdatedAt = now;
        return chosen;
    }

    /// <summary>Why the account with this external id cannot be connected from this connection, or null when it can.</summary>
    public string? ProblemWith(string externalAccountId)
    {
        var listed = _candidates.Where(c => c.ExternalAccountId == externalAccountId).ToList();
        return listed.Count == 0
            ? $"The account '{externalAccountId}' is not among the accounts this connection found."
            : listed.FirstOrDefault(c => !c.CanConnect) is { } blocked
                ? $"The account '{externalAccountId}' cannot be connected: {blocked.Problem}"
                : null;
    }

    private void RequireStatus(ConnectionStatus status)
    {
        if (Status != status)
        {
            throw new DomainException($"This connection is {EnumNames.Of(Status)}, not {EnumNames.Of(status)}.");
        }
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}

public enum ConnectionStateProblem
{
    Unknown,
    AlreadyUsed,
    Expired,
}

/// <summary>The callback's <c>state</c> is not one this service issued, was already used, or expired.</summary>
public sealed class ConnectionStateException(ConnectionStateProblem problem, string message) : DomainException(message)
{
    public ConnectionStateProblem Problem { get; } = problem;
}
