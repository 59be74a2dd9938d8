using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Respawn;
using Scheduler.Tests.Database;
using Scheduler.Web.FunctionalTests;

[assembly: AssemblyFixture(typeof(SchedulerFactory))]

namespace Scheduler.Web.FunctionalTests;

/// <summary>The real web host over this suite's own MariaDB database, with every log line captured.</summary>
public sealed class SchedulerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DatabaseName = "scheduler_web";
    public const string SigningKey = "functional-tests-signing-key-0123456789-abcdef";
    public const string Issuer = "scheduler-tests";
    public const string Audience = "scheduler-tests-api";

    private Respawner? _respawner;

    public string ConnectionString { get; } = TestDatabase.ConnectionString(DatabaseName);

    public ConcurrentQueue<string> Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await TestDatabase.RecreateAsync(DatabaseName);
        _ = Server; // starts the host: migrations run now
        _respawner = await TestDatabase.CreateRespawnerAsync(DatabaseName);
    }

    public async Task ResetAsync()
    {
        await TestDatabase.ResetAsync(_respawner!, DatabaseName);
        Services.GetRequiredService<global::Scheduler.Infrastructure.Persistence.KnownCompanies>().Clear();
    }

    /// <summary>A client whose requests carry a token for <paramref name="companyId"/>.</summary>
    public HttpClient ClientFor(Guid companyId) => ClientWithToken(Token(new Claim("company_id", companyId.ToString())));

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static string Token(params Claim[] claims) => Token(SigningKey, DateTime.UtcNow.AddHours(1), claims);

    public static string Token(string key, DateTime expires, params Claim[] claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = expires.AddHours(-2),
            IssuedAt = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Scheduler", ConnectionString);
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("Auth:Issuer", Issuer);
        builder.UseSetting("Auth:Audience", Audience);
        builder.UseSetting("Publishing:Mode", "Sandbox");
        // Media URLs in tests name hosts that do not exist; MediaPreflightTests turns the preflight on against a local fake.
        builder.UseSetting("MediaPreflight:Enabled", "false");
        // Functional tests send bursts on purpose; ApiLimitsTests turns the limiter on.
        builder.UseSetting("RateLimiting:Enabled", "false");
        builder.UseSetting("Scheduler:Roles", "api");
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(new CapturingLoggerProvider(Logs));
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
