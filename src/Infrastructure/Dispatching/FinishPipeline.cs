using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Application.Dispatching;

namespace Scheduler.Infrastructure.Dispatching;

/// <summary>
/// Batches finishes: verdicts queue up (for up to <see cref="Gather"/>, or while a batch is being written) and the next
/// batch takes them all (up to <c>Dispatcher:FinishBatchSize</c>) in one transaction. While the database is away a batch is retried with backoff
/// for up to <c>Dispatcher:FinishRetrySeconds</c> — a post that went live is not left to recovery for a passing outage;
/// after that its row is left to recovery, which asks the platform first.
/// </summary>
public sealed partial class FinishPipeline(
    IServiceScopeFactory scopes, IOptions<DispatcherOptions> options, ILogger<FinishPipeline> logger) : IAsyncDisposable
{
    /// <summary>Batches written at the same time.</summary>
    public const int Writers = 2;

    /// <summary>How long a writer lets finishes gather before it writes a batch that is not yet full.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Lock _gate = new();
    private Task? _writers;

    public Task<DispatchResult> FinishAsync(JobVerdict verdict)
    {
        EnsureStarted();
        var item = new Item(verdict, new TaskCompletionSource<DispatchResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("The finish pipeline is shut down.");
        }

        return item.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writers is { } writers)
        {
            await writers;
        }
    }

    private void EnsureStarted()
    {
        if (_writers is not null)
        {
            return;
        }

        lock (_gate)
        {
            _writers ??= Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)));
        }
    }

    private async Task WriteLoopAsync()
    {
        var size = options.Value.FinishBatchSize;
        var batch = new List<Item>(size);
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Finishes that arrive within a few milliseconds are written together: one transaction, not one each.
            // Nothing waits on this but the row itself — a published post has freed its account already.
            if (_queue.Reader.Count < size)
            {
                await Task.Delay(Gather);
            }

            batch.Clear();
            while (batch.Count < size && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
            }
        }
    }

    private async Task WriteAsync(List<Item> batch)
    {
        var giveUp = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(options.Value.FinishRetrySeconds);
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var results = await scope.ServiceProvider.GetRequiredService<JobFinisher>()
                    .FinishAsync([.. batch.Select(i => i.Verdict)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }

                return;
            }
            catch (Exception ex) when (Persistence.DatabaseFailures.IsUnavailable(ex) && giveUp.Elapsed < limit)
            {
                LogRetrying(logger, ex, batch.Count, delay.TotalSeconds);
                await Task.Delay(delay);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
            catch (Exception ex) when (Persistence.DatabaseFailures.IsUnavailable(ex))
            {
                LogGaveUp(logger, ex, batch.Count, limit.TotalSeconds);
                batch.ForEach(i => i.Result.TrySetResult(DispatchResult.Unfinished));
                return;
            }
            catch (Exception ex)
            {
                batch.ForEach(i => i.Result.TrySetException(ex));
                return;
            }
        }
    }

    private sealed record Item(JobVerdict Verdict, TaskCompletionSource<DispatchResult> Result);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not write {Count} finishes (the database is away?); retrying in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int count, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Gave up writing {Count} finishes after {Seconds} s; their rows are left to recovery, which asks the platform first")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, int count, double seconds);
}
