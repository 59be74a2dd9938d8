using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Logging;

namespace Scheduler.Infrastructure.Media;

/// <summary>What a link's page says about itself: its Open Graph title, description and image.</summary>
public sealed record LinkPreview(string? Title, string? Description, string? ImageUrl);

/// <summary>
/// Reads a link's Open Graph tags (<c>og:title</c>, <c>og:description</c>, <c>og:image</c>; the page's
/// <c>&lt;title&gt;</c> and <c>description</c> meta as fallbacks) from the first <see cref="MaxBytes"/> of its page, for
/// platforms that do not scrape links themselves (LinkedIn's API). Best effort: a page that cannot be read gives no
/// preview, and the post goes out with the bare link.
/// </summary>
public sealed partial class LinkPreviews(IHttpClientFactory http, ILogger<LinkPreviews> logger)
{
    /// <summary>The <c>&lt;head&gt;</c> of any reasonable page is well within this.</summary>
    public const int MaxBytes = 512 * 1024;

    public const string HttpClientName = "link-previews";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<LinkPreview?> ReadAsync(string url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType is not ("text/html" or "application/xhtml+xml"))
            {
                LogNotAPage(logger, url, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType);
                return null;
            }

            var html = await ReadHeadAsync(response.Content, timeout.Token);
            var preview = Parse(html, new Uri(url));
            return preview is { Title: null, Description: null, ImageUrl: null } ? null : preview;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogNoAnswer(logger, url, Timeout.TotalSeconds);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // No answer, or the connection dropped while the page was read: the post goes out without a preview.
            LogUnreachable(logger, ex, url);
            return null;
        }
    }

    /// <summary>The preview in a page's HTML; relative image URLs are made absolute against the page.</summary>
    public static LinkPreview Parse(string html, Uri page)
    {
        using var document = new HtmlParser().ParseDocument(html);
        string? Meta(string key) =>
            document.QuerySelector($"meta[property='{key}'], meta[name='{key}']")?.GetAttribute("content")?.Trim() is { Length: > 0 } value
                ? value
                : null;

        var image = Meta("og:image") ?? Meta("og:image:url") ?? Meta("twitter:image");
        return new LinkPreview(
            Meta("og:title") ?? Meta("twitter:title") ?? (document.Title?.Trim() is { Length: > 0 } title ? title : null),
            Meta("og:description") ?? Meta("description") ?? Meta("twitter:description"),
            image is not null && Uri.TryCreate(page, image, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp)
                ? absolute.ToString()
                : null);
    }

    private static async Task<string> ReadHeadAsync(HttpContent content, CancellationToken ct)
    {
        var head = await HttpHeads.ReadAsync(content, MaxBytes, ct);
        var charset = content.Headers.ContentType?.CharSet;
        var encoding = charset is not null && Encoding.GetEncodings().FirstOrDefault(e => e.Name.Equals(charset.Trim('"'), StringComparison.OrdinalIgnoreCase)) is { } known
            ? known.GetEncoding()
            : Encoding.UTF8;
        return encoding.GetString(head);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No link preview for {Url}: HTTP {Status} {ContentType}; the post goes out with the bare link")]
    private static partial void LogNotAPage(ILogger logger, string url, int status, string? contentType);

    [LoggerMessage(Level = LogLevel.Information, Message = "No link preview for {Url}: no answer within {Seconds} s; the post goes out with the bare link")]
    private static partial void LogNoAnswer(ILogger logger, string url, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "No link preview for {Url}: the page could not be fetched; the post goes out with the bare link")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string url);
}
