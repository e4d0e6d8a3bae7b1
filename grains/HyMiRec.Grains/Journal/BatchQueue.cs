using System.Threading.Channels;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// Group commit: callers enqueue work and await it; <c>concurrency</c> loops each take whatever is queued (up to a
/// batch limit) and run it as one batch. Nothing waits for company: an idle queue hands a lone request over at once,
/// and a busy one gathers the requests that arrived while the previous batch ran. A batch that throws fails only
/// its own callers.
/// </summary>
internal sealed class BatchQueue<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> _run;
    private readonly Action<int, double>? _onBatch;
    private readonly int _maxBatch;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _loops;

    public BatchQueue(int maxBatch, int concurrency, Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> run, Action<int, double>? onBatch = null)
    {
        _maxBatch = maxBatch;
        _run = run;
        _onBatch = onBatch;
        _loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(LoopAsync)).ToArray();
    }

    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellation = default)
    {
        var pending = new Pending(request);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return cancellation.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellation) : pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count > 0)
            {
                await RunAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(List<Pending> batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var results = await _run([.. batch.Select(p => p.Request)], _stopping.Token).ConfigureAwait(false);
            _onBatch?.Invoke(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(e);
            }
        }
    }

    private sealed class Pending(TRequest request)
    {
        public TRequest Request { get; } = request;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
