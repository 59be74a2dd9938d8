using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Common.Validation;

/// <summary>Rules shared by the commands that take a post's time, media and link.</summary>
public static class PostRules
{
    /// <summary>
    /// Everything the platform would refuse in a post and its first comment, as failures on the fields that hold them
    /// (<paramref name="prefix"/> before each message, e.g. naming the account of a group).
    /// </summary>
    public static List<ValidationFailure> PlatformFailures(
        Domain.SocialAccounts.Platform platform,
        PostFormat format,
        string content,
        IReadOnlyList<PostMedia> media,
        string? firstComment,
        string contentField = "content",
        string commentField = "firstComment",
        string prefix = "") =>
    [
        .. PostContentRules.Check(platform, format, content, media).Select(p => new ValidationFailure(contentField, prefix + p)),
        .. PostContentRules.CheckFirstComment(platform, format, firstComment).Select(p => new ValidationFailure(commentField, prefix + p)),
    ];

    /// <summary>runAt resolves (offset, or local time plus zone) to an instant after now.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> MustBeFutureRunAt<T>(
        this IRuleBuilder<T, string?> rule, Func<T, string?> timeZone, RequestClock clock) =>
        rule.Custom((runAt, context) =>
        {
            var zone = timeZone(context.InstanceToValidate);
            if (!string.IsNullOrWhiteSpace(zone) && !RunAtResolver.IsKnownZone(zone.Trim()))
            {
                return; // reported once, on timeZone
            }

            if (!RunAtResolver.TryResolve(runAt, zone, out var utc, out var error))
            {
                context.AddFailure(error);
            }
            else if (utc <= clock.UtcNow)
            {
                context.AddFailure($"runAt must be in the future; {utc:yyyy-MM-ddTHH:mm:ss.FFFFFFFZ} has passed.");
            }
        });

    public static IRuleBuilderOptions<T, string?> MustBeKnownTimeZone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(zone => zone is null || RunAtResolver.IsKnownZone(zone.Trim()))
            .WithMessage("timeZone '{PropertyValue}' is not a known IANA time zone (for example Europe/Paris).");

    /// <summary>mediaUrls or media: at most <see cref="PostContentRules.MaxMediaUrls"/> items.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> MustHoldFewMedia<T, TItem>(
        this IRuleBuilder<T, IReadOnlyList<TItem>?> rule) =>
        rule.Must(items => items is null || items.Count <= PostContentRules.MaxMediaUrls)
            .WithMessage($"{{PropertyName}} holds at most {PostContentRules.MaxMediaUrls} items.");

    /// <summary>A media item: an https URL, alternative text within the cap, a known kind.</summary>
    public static IRuleBuilderOptions<T, Posts.MediaInput> MustBeValidMedia<T>(this IRuleBuilder<T, Posts.MediaInput> rule) =>
        rule.Must(m => m is not null && IsAbsoluteHttps(m.Url))
            .WithMessage("Each media item needs a url: an absolute https URL of at most 2048 characters.")
            .Must(m => m?.AltText is null || PostContentRules.Length(m.AltText) <= PostContentRules.AltTextMaxLength)
            .WithMessage(string.Create(CultureInfo.InvariantCulture, $"altText is at most {PostContentRules.AltTextMaxLength:N0} characters."))
            .Must(m => m?.Kind is null || Enum.IsDefined(m.Kind.Value))
            .WithMessage("kind is image, video or document.");

    public static IRuleBuilderOptions<T, string> MustBeHttpsMediaUrl<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(IsAbsoluteHttps)
            .WithMessage("Each media URL must be an absolute https URL of at most 2048 characters; '{PropertyValue}' is not.");

    public static IRuleBuilderOptions<T, string?> MustBeHttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(link => link is null || link.Length == 0 || IsAbsoluteHttp(link))
            .WithMessage("link must be an absolute http or https URL of at most 2048 characters.");

    public static bool IsAbsoluteHttps(string? url) =>
        url is { Length: <= PostContentRules.MediaUrlMaxLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && !string.IsNullOrEmpty(uri.Host);

    private static bool IsAbsoluteHttp(string url) =>
        url.Length <= PostContentRules.LinkMaxLength
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !string.IsNullOrEmpty(uri.Host);
}
