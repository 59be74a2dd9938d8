using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Scheduler.Infrastructure.Persistence;

namespace Scheduler.Infrastructure.IntegrationTests.Persistence;

/// <summary>What a failure of the database means: a lost connection is replayed and answers 503, a bug does not.</summary>
public sealed class DatabaseFailuresTests
{
    [Fact]
    public void AConnectionThatDied_UnderAStatement_IsLost_AndTheDatabaseUnavailable()
    {
        Exception[] lost =
        [
            new EndOfStreamException("An incomplete response was received from the server"),
            new IOException("Unable to write data to the transport connection"),
            new SocketException((int)SocketError.ConnectionReset),
        ];

        foreach (var failure in lost)
        {
            Assert.True(DatabaseFailures.IsConnectionLost(failure));
            Assert.True(DatabaseFailures.IsUnavailable(failure));
            Assert.True(DatabaseFailures.IsUnavailable(new DbUpdateException("save failed", failure)));
        }
    }

    [Fact]
    public void AFailureOfTheCode_IsNeitherLostNorUnavailable()
    {
        Assert.False(DatabaseFailures.IsConnectionLost(new InvalidOperationException("a bug")));
        Assert.False(DatabaseFailures.IsUnavailable(new InvalidOperationException("a bug")));
        Assert.False(DatabaseFailures.IsUnavailable(new DbUpdateException("a constraint", new InvalidOperationException("a bug"))));
    }
}
