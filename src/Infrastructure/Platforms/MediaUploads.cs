using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Platforms;

/// <summary>
/// Uploads a post's media in order, reusing what an earlier attempt already uploaded (kept by index in the row's
/// <see cref="PlatformState"/>, unless older than <c>maxAge</c>) and saving each new id the moment the platform gives it.
/// </summary>
public static class MediaUploads
{
    public delegate Task<(string? Id, PublishOutcome? Refusal)> Upload(int index, string mediaUrl, CancellationToken ct);

    public static async Task<(IReadOnlyList<string> Ids, PublishOutcome? Refusal)> UploadAllAsync(
        PublishRequest request, PublishState state, Upload upload, TimeProvider clock, TimeSpan? maxAge, CancellationToken ct)
    {
        var ids = new List<string>(request.MediaUrls.Count);
        for (var index = 0; index < request.MediaUrls.Count; index++)
        {
            var saved = state.Current.Upload(index);
            if (saved is null || (maxAge is { } age && clock.GetUtcNow() - saved.At > age))
            {
                var (uploaded, refusal) = await upload(index, request.MediaUrls[index], ct);
                if (refusal is not null)
                {
                    return ([], refusal);
                }

                saved = new UploadedMedia(uploaded!, clock.GetUtcNow());
                await state.SaveAsync(state.Current.WithUpload(index, saved), ct);
            }

            ids.Add(saved.Id);
        }

        return (ids, null);
    }
}
