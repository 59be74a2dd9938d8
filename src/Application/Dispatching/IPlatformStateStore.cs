namespace Scheduler.Application.Dispatching;

/// <summary>Where a publisher saves what it learned mid-publish (an Instagram container id, uploaded media ids).</summary>
public interface IPlatformStateStore
{
    /// <summary>Saves the state, fenced by the lock token. False when the lease was lost: the publisher must stop.</summary>
    Task<bool> SaveAsync(Guid postId, Guid lockToken, string? state, CancellationToken cancellationToken);
}

/// <summary>The row's lease is gone (another worker holds it): the publisher stops, and nothing of its work is written.</summary>
public sealed class LeaseLostException(Guid postId)
    : Exception($"The lease on post {postId} was lost: another worker holds it now.")
{
    public Guid PostId => postId;
}

public static class PlatformStateStoreExtensions
{
    /// <summary>Saves the state, or stops the publish with <see cref="LeaseLostException"/> when the lease is gone.</summary>
    public static async Task SaveOrStopAsync(
        this IPlatformStateStore store, PublishRequest request, string? state, CancellationToken cancellationToken)
    {
        if (!await store.SaveAsync(request.PostId, request.LockToken, state, cancellationToken))
        {
            throw new LeaseLostException(request.PostId);
        }

        request.StateSaved(state);
    }
}
