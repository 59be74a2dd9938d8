using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>
/// Uploads a post's media in order, reusing what an earlier attempt already uploaded (kept in the row's
/// <see cref="PlatformState"/>) and saving each new id the moment the platform gives it.
/// </summary>
public static class MediaUploads
{
    public delegate Task<(string? Id, PublishOutcome? Refusal)> Upload(string mediaUrl, CancellationToken ct);

    public static async Task<(IReadOnlyList<string> Ids, PublishOutcome? Refusal)> UploadAllAsync(
        PublishRequest request, IPlatformStateStore store, Upload upload, CancellationToken ct)
    {
        var state = PlatformState.Parse(request.PlatformState);
        var ids = new List<string>(request.MediaUrls.Count);
        foreach (var url in request.MediaUrls)
        {
            if (!state.Media.TryGetValue(url, out var id))
            {
                var (uploaded, refusal) = await upload(url, ct);
                if (refusal is not null)
                {
                    return ([], refusal);
                }

                id = uploaded!;
                state.Media[url] = id;
                await store.SaveOrStopAsync(request, state.Serialize(), ct);
            }

            ids.Add(id);
        }

        return (ids, null);
    }
}
