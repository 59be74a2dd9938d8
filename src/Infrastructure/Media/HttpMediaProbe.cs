using System.Globalization;
using System.Net.Http.Headers;
using MetadataExtractor;
using MetadataExtractor.Formats.Gif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.WebP;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Posts.MediaPreflight;
using Scheduler.Domain.Posts;

namespace Scheduler.Infrastructure.Media;

/// <summary>
/// One ranged GET per file (the first <see cref="HeadBytes"/> bytes): the content type, the full size (from
/// <c>Content-Range</c>, or <c>Content-Length</c> when the host ignores ranges) and, for images, the pixel size read
/// from the file's header. Bounded by <c>MediaPreflight:TimeoutSeconds</c>; public addresses only.
/// </summary>
public sealed partial class HttpMediaProbe(
    IHttpClientFactory http, IOptions<MediaPreflightOptions> options, ILogger<HttpMediaProbe> logger) : IMediaProbe
{
    public const string HttpClientName = "media-probe";

    /// <summary>Enough for the headers of JPEG (past an EXIF block with a thumbnail), PNG, GIF and WebP files.</summary>
    public const int HeadBytes = 128 * 1024;

    public async Task<MediaProbeResult> ProbeAsync(string url, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(0, HeadBytes - 1);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new MediaProbeResult(null, Unreachable: $"its host answered HTTP {(int)response.StatusCode}");
            }

            var headers = response.Content.Headers;
            var length = headers.ContentRange?.Length ?? (response.StatusCode == System.Net.HttpStatusCode.OK ? headers.ContentLength : null);
            var type = headers.ContentType?.MediaType;
            var head = await HttpHeads.ReadAsync(response.Content, HeadBytes, timeout.Token);
            var (width, height) = type?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true ? Dimensions(url, head) : (null, null);
            return new MediaProbeResult(new MediaFacts(type, length, width, height));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MediaProbeResult(null, Unreachable: string.Create(CultureInfo.InvariantCulture, $"its host did not answer within {limit.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException ex) when (NotPublicAddressException.Caused(ex))
        {
            return new MediaProbeResult(null, Refused: "its host is not on the public internet, so no platform can fetch it");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // No answer, or the connection dropped while the head of the file was read.
            return new MediaProbeResult(null, Unreachable: $"its host could not be reached ({ex.Message})");
        }
    }

    /// <summary>The pixel size from an image's header; unknown when the format or a truncated header does not tell.</summary>
    private (int? Width, int? Height) Dimensions(string url, byte[] head)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            using var stream = new MemoryStream(head);
            directories = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException)
        {
            // Only the head of the file was read: a header the reader cannot finish leaves the size unknown, which the
            // rules do not hold against the file (the platform has the last word).
            LogUnreadableHeader(logger, ex, url);
            return (null, null);
        }

        foreach (var directory in directories)
        {
            var (widthTag, heightTag) = directory switch
            {
                JpegDirectory => (JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight),
                PngDirectory => (PngDirectory.TagImageWidth, PngDirectory.TagImageHeight),
                GifHeaderDirectory => (GifHeaderDirectory.TagImageWidth, GifHeaderDirectory.TagImageHeight),
                WebPDirectory => (WebPDirectory.TagImageWidth, WebPDirectory.TagImageHeight),
                _ => (-1, -1),
            };
            if (widthTag >= 0 && directory.TryGetInt32(widthTag, out var width) && directory.TryGetInt32(heightTag, out var height))
            {
                return (width, height);
            }
        }

        return (null, null);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the pixel size from the head of {Url}")]
    private static partial void LogUnreadableHeader(ILogger logger, Exception exception, string url);
}
