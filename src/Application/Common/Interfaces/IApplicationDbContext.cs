using Microsoft.EntityFrameworkCore;
using Scheduler.Domain.Clients;
using Scheduler.Domain.Companies;
using Scheduler.Domain.Connections;
using Scheduler.Domain.Posts;
using Scheduler.Domain.SocialAccounts;

namespace Scheduler.Application.Common.Interfaces;

/// <summary>The tables use cases read and change. Changes are saved by the transaction behaviour, not by handlers.</summary>
public interface IApplicationDbContext
{
    DbSet<Company> Companies { get; }

    DbSet<Client> Clients { get; }

    DbSet<SocialAccount> SocialAccounts { get; }

    /// <summary>Posts with their queue row (<see cref="Post.Schedule"/>), which is always loaded with them.</summary>
    DbSet<Post> Posts { get; }

    /// <summary>Each publishing attempt of a post, for operators and for the post's history.</summary>
    DbSet<PostAttempt> PostAttempts { get; }

    /// <summary>Consent flows under way, and the accounts they found until those are connected or expire.</summary>
    DbSet<Connection> Connections { get; }

    /// <summary>
    /// The social account with this id, tracked: the one this unit of work already holds, otherwise read by one
    /// precompiled query (<c>DbSet.FindAsync</c> builds and translates a query expression on every call that misses).
    /// </summary>
    ValueTask<SocialAccount?> FindSocialAccountAsync(Guid id, CancellationToken cancellationToken);
}
