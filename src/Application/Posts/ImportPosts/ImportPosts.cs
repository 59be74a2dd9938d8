using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scheduler.Application.Common.Idempotency;
using Scheduler.Application.Common.Interfaces;
using Scheduler.Application.Common.Scheduling;
using Scheduler.Application.Common.Tenancy;
using Scheduler.Application.Common.Validation;
using Scheduler.Application.Dispatching;
using Scheduler.Application.Posts.SchedulePost;
using Scheduler.Domain.Posts;

namespace Scheduler.Application.Posts.ImportPosts;

/// <summary>One post to import: the fields of <see cref="SchedulePostCommand"/> a spreadsheet row can hold.</summary>
public sealed record ImportRow(
    Guid SocialAccountId,
    string? Content,
    string? RunAt,
    string? TimeZone = null,
    IReadOnlyList<string>? MediaUrls = null,
    string? Link = null,
    Guid? ClientId = null,
    PostFormat? Format = null,
    bool Draft = false,
    string? FirstComment = null);

/// <summary>
/// Imports up to <see cref="MaxRows"/> posts in one transaction. Every row is checked as a schedule-post would be (its
/// fields, its account, the platform's content rules; media hosts are not asked). <paramref name="AllOrNothing"/> (the
/// default): one bad row refuses the whole import with every row's errors (400, <c>rows[i].field</c>); otherwise the
/// good rows are imported and the bad ones reported.
/// </summary>
public sealed record ImportPostsCommand(IReadOnlyList<ImportRow> Rows, bool AllOrNothing = true, Guid? CompanyId = null)
    : ICommand<ImportResult>, ICompanyScoped, IIdempotentCommand
{
    public const int MaxRows = 10_000;

    /// <summary>Sent twice with the same key, the command runs once and the second answer is the first one.</summary>
    public string? IdempotencyKey { get; init; }
}

/// <param name="Imported">The posts created, in row order.</param>
/// <param name="Errors">The rows not imported (only when not all-or-nothing), by row number from 1.</param>
public sealed record ImportResult(int Imported, IReadOnlyList<ImportedPost> Posts, IReadOnlyList<ImportRowError> Errors);

public sealed record ImportedPost(int Row, Guid Id);

public sealed record ImportRowError(int Row, IReadOnlyDictionary<string, string[]> Errors);

public sealed class ImportPostsCommandValidator : AbstractValidator<ImportPostsCommand>
{
    public ImportPostsCommandValidator()
    {
        RuleFor(c => c.Rows).NotEmpty()
            .Must(rows => rows.Count <= ImportPostsCommand.MaxRows)
            .WithMessage($"An import holds at most {ImportPostsCommand.MaxRows:N0} rows.");
    }
}

public sealed class ImportPostsCommandHandler(
    IApplicationDbContext db,
    ICurrentCompany company,
    RequestClock clock,
    IOptions<DispatcherOptions> options) : ICommandHandler<ImportPostsCommand, ImportResult>
{
    public async ValueTask<ImportResult> Handle(ImportPostsCommand command, CancellationToken cancellationToken)
    {
        // The accounts and clients every row names, in two queries whatever the number of rows.
        var accountIds = command.Rows.Select(r => r.SocialAccountId).Distinct().ToList();
        var accounts = await db.SocialAccounts.Where(a => accountIds.Contains(a.Id) && a.CompanyId == company.Id)
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        var clientIds = command.Rows.Where(r => r.ClientId is not null).Select(r => r.ClientId!.Value).Distinct().ToList();
        var clients = (await db.Clients.Where(c => clientIds.Contains(c.Id) && c.CompanyId == company.Id).Select(c => c.Id)
            .ToListAsync(cancellationToken)).ToHashSet();

        var fields = new SchedulePostCommandValidator(clock);
        var now = clock.UtcNow;
        var errors = new List<ImportRowError>();
        var created = new List<(int Row, Post Post)>();
        for (var i = 0; i < command.Rows.Count; i++)
        {
            var row = command.Rows[i];
            var failures = row is null
                ? [new ValidationFailure("row", "The row is empty.")]
                : Check(row, fields, accounts, clients);
            if (failures.Count > 0)
            {
                errors.Add(new ImportRowError(
                    i + 1, failures.GroupBy(f => f.PropertyName).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray())));
                continue;
            }

            var account = accounts[row!.SocialAccountId];
            created.Add((i + 1, Post.Create(
                account, row.ClientId, row.Content ?? string.Empty, row.MediaUrls?.Select(url => PostMedia.From(url)), row.Link,
                RunAtResolver.Resolve(row.RunAt, row.TimeZone), options.Value.MaxAttempts, now, row.Format ?? PostFormat.Post,
                draft: row.Draft, firstComment: row.FirstComment)));
        }

        if (errors.Count > 0 && command.AllOrNothing)
        {
            throw new ValidationException(
                $"{errors.Count} of {command.Rows.Count} rows cannot be imported; nothing was.",
                errors.SelectMany(e => e.Errors.SelectMany(f => f.Value.Select(message =>
                    new ValidationFailure($"rows[{e.Row}].{f.Key}", message)))));
        }

        // Added together, saved by the command's transaction in batched statements (not a round trip per row).
        db.Posts.AddRange(created.Select(c => c.Post));
        return new ImportResult(created.Count, [.. created.Select(c => new ImportedPost(c.Row, c.Post.Id))], errors);
    }

    private static List<ValidationFailure> Check(
        ImportRow row, SchedulePostCommandValidator fields, Dictionary<Guid, Domain.SocialAccounts.SocialAccount> accounts, HashSet<Guid> clients)
    {
        var failures = fields.Validate(new SchedulePostCommand(
            row.SocialAccountId, row.Content ?? string.Empty, row.RunAt!, row.TimeZone, row.MediaUrls, row.Link, row.ClientId,
            Format: row.Format, FirstComment: row.FirstComment)).Errors;
        if (SocialAccounts.Slots.Slots.IsNextSlot(row.RunAt))
        {
            failures.Add(new ValidationFailure("runAt", "next-slot takes one post at a time (POST /schedule-post); give the row its time."));
        }

        if (row.SocialAccountId != Guid.Empty && !accounts.ContainsKey(row.SocialAccountId))
        {
            failures.Add(new ValidationFailure("socialAccountId", $"No social account with id {row.SocialAccountId} was found."));
        }
        else if (accounts.TryGetValue(row.SocialAccountId, out var account))
        {
            if (!account.IsActive)
            {
                failures.Add(new ValidationFailure("socialAccountId", $"The account is {Domain.Common.EnumNames.Of(account.Status)}; reconnect it first."));
            }
            else if (row.ClientId is not null && account.ClientId is not null && row.ClientId != account.ClientId)
            {
                failures.Add(new ValidationFailure("clientId", "The account belongs to another client."));
            }

            if (failures.Count == 0)
            {
                failures.AddRange(PostRules.PlatformFailures(
                    account.Platform, row.Format ?? PostFormat.Post, row.Content ?? string.Empty,
                    [.. (row.MediaUrls ?? []).Select(url => PostMedia.From(url))], row.FirstComment));
            }
        }

        if (row.ClientId is { } clientId && clientId != Guid.Empty && !clients.Contains(clientId))
        {
            failures.Add(new ValidationFailure("clientId", $"No client with id {clientId} was found."));
        }

        return failures;
    }
}
