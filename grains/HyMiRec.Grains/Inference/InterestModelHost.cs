using System.Diagnostics;
using HyMiRec.Interfaces;
using HyMiRec.Model.Runtime;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.Grains.Inference;

/// <summary>
/// The silo's one loaded model and its batching queue. Interest requests from any number of user grains go into
/// one channel; a loop on its own thread drains up to <see cref="InferenceOptions.MaxBatchSize"/> of them (waiting
/// at most <see cref="InferenceOptions.MaxWaitMs"/> for more), splits them by history length with
/// <see cref="HistoryBuckets"/> and runs each sub-batch as its own <c>ComputeInterests</c> call.
/// <see cref="Switch"/> replaces the model without dropping requests: calls on the old one finish first.
/// </summary>
public sealed class InterestModelHost : IAsyncDisposable
{
    // Callers waiting on an answer are refused past Inference:MaxQueueLength, so they get one at once.
    private readonly InferenceQueue<PendingRequest> _queue = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly InferenceOptions _options;
    private readonly ILogger<InterestModelHost> _logger;
    private ModelLease? _current;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _loop;
    private long _batches;
    private int _disposed;

    public InterestModelHost(IOptions<InferenceOptions> options, ILogger<InterestModelHost> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Bytes of per-user history states each loaded model may keep (<see cref="InferenceOptions.HistoryCacheMegabytes"/>).</summary>
    public long HistoryCacheBytes => _options.HistoryCacheMegabytes * 1024L * 1024L;

    /// <summary>What the loaded model's kept history states have saved so far (<see cref="HistoryStateCache"/>).</summary>
    public HistoryStateStats HistoryStates => CurrentModel().HistoryStates;

    /// <summary>Forward passes run so far (each serves one sub-batch of a drained batch).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Completes once a model is loaded.</summary>
    public Task Ready => _ready.Task;

    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    public ModelInfo Info => Describe(CurrentModel());

    /// <summary>Starts serving <paramref name="model"/> (the host owns it from now on) and the batching loop.</summary>
    public void Start(IInterestModel model)
    {
        if (Interlocked.CompareExchange(ref _current, new ModelLease(model), null) is not null)
        {
            throw new InvalidOperationException("the model host is started already; use Switch to replace the model");
        }

        _loop = new Thread(() => Run(_stopping.Token)) { IsBackground = true, Name = "hymirec-inference" };
        _loop.Start();
        _ready.TrySetResult();
    }

    /// <summary>Serves <paramref name="model"/> from now on; the old one is disposed when its last call finishes.</summary>
    public void Switch(IInterestModel model)
    {
        var old = Interlocked.Exchange(ref _current, new ModelLease(model)) ?? throw new InvalidOperationException("the model host is not started");
        GrainsLog.ModelSwitched(_logger, old.Model.Manifest.ModelVersion, model.Manifest.ModelVersion);
        old.Release();
    }

    /// <summary>Interests for a history given as codes (tests drive the batching queue with it).</summary>
    public Task<InterestsResult> ComputeAsync(InferenceInput input)
    {
        if (input.HistoryCodes.Length != input.HistoryMagnitudeBits.Length)
        {
            throw new ArgumentException("history codes and magnitudes must have the same length");
        }

        var magnitudes = new Half[input.HistoryMagnitudeBits.Length];
        for (var i = 0; i < magnitudes.Length; i++)
        {
            magnitudes[i] = BitConverter.UInt16BitsToHalf(input.HistoryMagnitudeBits[i]);
        }

        var request = new InterestRequest(input.HistoryCodes, magnitudes, input.RecentItems);
        return Enqueue(refuseWhenFull: true, _ => request);
    }

    /// <summary>
    /// Interests for a history given as catalog indices of <paramref name="catalog"/> (oldest first; the newest
    /// <paramref name="recent"/> are also the refined recommender's raw items). The codes are looked up on the
    /// batching thread from the model that runs the pass; if that model has another catalog by then, the call fails
    /// with <see cref="CatalogChangedException"/> and the caller maps its history again. <paramref name="userKey"/> lets
    /// the model reuse the states it kept from this user's previous pass (<see cref="HistoryStateCache"/>).
    /// </summary>
    /// <remarks>
    /// With <paramref name="refuseWhenFull"/> (a caller waiting on the answer, e.g. a read) the call fails at once with
    /// <see cref="InferenceOverloadedException"/> while <see cref="InferenceOptions.MaxQueueLength"/> requests wait;
    /// recomputes started by ingest are always queued: they are coalesced per user, so there is at most one per user.
    /// </remarks>
    public Task<InterestsResult> ComputeAsync(ItemCatalog catalog, int[] history, int recent, bool refuseWhenFull = false, string? userKey = null) => Enqueue(refuseWhenFull, model =>
    {
        if (!ReferenceEquals(model.Catalog, catalog))
        {
            throw new CatalogChangedException();
        }

        var layers = model.CodebookLayers;
        var codes = new ushort[history.Length * layers];
        var magnitudes = new Half[history.Length * layers];
        for (var j = 0; j < history.Length; j++)
        {
            var code = model.GetItemCode(history[j]);
            code.Codes.CopyTo(codes, j * layers);
            code.Magnitudes.CopyTo(magnitudes, j * layers);
        }

        return new InterestRequest(codes, magnitudes, history[Math.Max(0, history.Length - recent)..], userKey);
    });

    /// <summary>The loaded model's catalog: immutable, replaced (not changed) when another model is loaded.</summary>
    public ItemCatalog Catalog => CurrentModel().Catalog;

    /// <summary>Requests waiting for a forward pass.</summary>
    public int QueueLength => _queue.Count;

    private Task<InterestsResult> Enqueue(bool refuseWhenFull, Func<IInterestModel, InterestRequest> build)
    {
        var pending = new PendingRequest(build);
        if (!_queue.TryAdd(pending, urgent: refuseWhenFull, refuseWhenFull ? _options.MaxQueueLength : null))
        {
            if (_queue.IsClosed)
            {
                throw new ObjectDisposedException(nameof(InterestModelHost), "the model host is shutting down");
            }

            ServingMetrics.InferenceRefused.Add(1);
            throw new InferenceOverloadedException($"{_options.MaxQueueLength} interest requests are waiting (Inference:MaxQueueLength); retry shortly");
        }

        if (_queue.IsClosed)
        {
            // Closed while this request went in: the loop may be gone, so answer it here (TrySet: once only).
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(InterestModelHost)));
        }

        return pending.Completion.Task;
    }

    public EncodedItems Encode(IReadOnlyList<string> itemIds)
    {
        var lease = Acquire();
        try
        {
            var model = lease.Model;
            var layers = model.CodebookLayers;
            var indices = new int[itemIds.Count];
            var codes = new ushort[itemIds.Count * layers];
            var magnitudes = new ushort[itemIds.Count * layers];
            for (var i = 0; i < itemIds.Count; i++)
            {
                if (!model.Catalog.TryGetIndex(itemIds[i], out var index))
                {
                    continue;
                }

                indices[i] = index;
                var code = model.GetItemCode(index);
                for (var l = 0; l < layers; l++)
                {
                    codes[(i * layers) + l] = code.Codes[l];
                    magnitudes[(i * layers) + l] = BitConverter.HalfToUInt16Bits(code.Magnitudes[l]);
                }
            }

            return new EncodedItems(model.Manifest.CodebookVersion, layers, indices, codes, magnitudes);
        }
        finally
        {
            lease.Release();
        }
    }

    public IReadOnlyList<RecommendationView> Recommend(InterestsResult interests, int k, IReadOnlySet<int>? exclude)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var lease = Acquire();
        try
        {
            var model = lease.Model;
            if (interests.Dimension != model.Dimension)
            {
                throw new ArgumentException($"interests have dimension {interests.Dimension}; model {model.Manifest.ModelVersion} has {model.Dimension}");
            }

            var scored = model.Recommend(new UserInterests(interests.Coarse, interests.Refined), k, exclude is { Count: > 0 } ? exclude : null);
            return scored.Select(s => new RecommendationView(model.Catalog.ItemIds[s.ItemIndex], model.Catalog.ItemTexts[s.ItemIndex], s.Score)).ToArray();
        }
        finally
        {
            lease.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var queued = _queue.Close();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _stopped.Task.ConfigureAwait(false);
        }

        foreach (var left in queued.Concat(_queue.Close()))
        {
            left.Completion.TrySetException(new ObjectDisposedException(nameof(InterestModelHost)));
        }

        _queue.Dispose();


        Interlocked.Exchange(ref _current, null)?.Release();
        _stopping.Dispose();
    }

    private static ModelInfo Describe(IInterestModel model) => new(
        model.Manifest.ModelVersion, model.Manifest.CodebookVersion, model.CodebookLayers, model.RecentLength, model.MaxHistory,
        model.Dimension, model.Catalog.ItemCount);

    private IInterestModel CurrentModel() =>
        (Volatile.Read(ref _current) ?? throw new InvalidOperationException("no model is loaded yet")).Model;

    private ModelLease Acquire()
    {
        while (true)
        {
            var lease = Volatile.Read(ref _current) ?? throw new InvalidOperationException("no model is loaded yet");
            if (lease.TryAcquire())
            {
                return lease;
            }
        }
    }

    /// <summary>
    /// The batching loop, on its own thread: a forward pass takes milliseconds of CPU, and on the thread pool it would
    /// hold one of the workers that run grain turns and Kafka reads (two on a 2-core node), starving them.
    /// </summary>
    private void Run(CancellationToken stopping)
    {
        NativeHeap.KeepFreedMemory();
        if (_options.IntraOpThreads > 0)
        {
            // OpenMP's thread count belongs to the thread that sets it: this one runs every pass.
            TorchSharp.torch.set_num_threads(_options.IntraOpThreads);
        }

        var batch = new List<PendingRequest>(_options.MaxBatchSize);
        try
        {
            while (_queue.WaitForItems(Timeout.InfiniteTimeSpan, stopping))
            {
                batch.Clear();
                Fill(batch, stopping);
                if (batch.Count > 0)
                {
                    RunBatch(batch);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetCanceled(stopping);
            }
        }
        catch (Exception e)
        {
            // Nothing is expected here (a pass's failure fails its callers); if it happens, say so and fail the batch.
            Fail(batch, e);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>Takes what is queued, up to the batch size; waits at most MaxWaitMs for more (0: never waits).</summary>
    private void Fill(List<PendingRequest> batch, CancellationToken stopping)
    {
        var deadline = Stopwatch.GetTimestamp() + (_options.MaxWaitMs * Stopwatch.Frequency / 1000);
        while (batch.Count < _options.MaxBatchSize)
        {
            if (_queue.TryTake(out var next))
            {
                batch.Add(next);
                continue;
            }

            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero || !_queue.WaitForItems(remaining, stopping))
            {
                return;
            }
        }
    }

    private void RunBatch(List<PendingRequest> batch)
    {
        var lease = Acquire();
        try
        {
            var built = new List<PendingRequest>(batch.Count);
            foreach (var pending in batch)
            {
                try
                {
                    pending.Request = pending.Build(lease.Model);
                    built.Add(pending);
                }
                catch (Exception e)
                {
                    pending.Completion.TrySetException(e);
                }
            }

            IReadOnlyList<int[]> plan;
            try
            {
                plan = HistoryBuckets.Plan(
                    HistoryBuckets.Lengths([.. built.Select(p => p.Request!)], lease.Model), _options.MaxForwardBatchSize, _options.MaxPaddingWaste);
            }
            catch (Exception e)
            {
                Fail(built, e);
                return;
            }

            foreach (var indices in plan)
            {
                RunForward(lease.Model, [.. indices.Select(i => built[i])]);
            }
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>One forward pass; its failure fails only its own requests.</summary>
    private void RunForward(IInterestModel model, PendingRequest[] pass)
    {
        var started = Stopwatch.GetTimestamp();
        var statesBefore = model.HistoryStates;
        IReadOnlyList<UserInterests>? results = null;
        Exception? error = null;
        try
        {
            results = model.ComputeInterests([.. pass.Select(p => p.Request!)]);
            if (results.Count != pass.Length)
            {
                throw new InvalidOperationException($"the model answered {results.Count} of {pass.Length} requests");
            }
        }
        catch (Exception e)
        {
            error = e;
        }

        // Counted before any caller is answered, so a caller that has its result also sees its pass counted.
        Interlocked.Increment(ref _batches);
        ServingMetrics.InferenceBatchSize.Record(pass.Length);
        ServingMetrics.InferenceBatchMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        ServingMetrics.RecordHistoryStates(statesBefore, model.HistoryStates);
        if (error is not null)
        {
            Fail(pass, error);
            return;
        }

        var manifest = model.Manifest;
        for (var i = 0; i < pass.Length; i++)
        {
            pass[i].Completion.TrySetResult(new InterestsResult(
                manifest.ModelVersion, manifest.CodebookVersion, model.Dimension, results![i].Coarse, results[i].Refined));
        }
    }

    private void Fail(IReadOnlyCollection<PendingRequest> requests, Exception error)
    {
        GrainsLog.BatchFailed(_logger, error, requests.Count);
        foreach (var pending in requests)
        {
            pending.Completion.TrySetException(error);
        }
    }

    private sealed class PendingRequest(Func<IInterestModel, InterestRequest> build)
    {
        public Func<IInterestModel, InterestRequest> Build { get; } = build;

        /// <summary>Built on the batching thread against the model that runs the pass.</summary>
        public InterestRequest? Request { get; set; }

        public TaskCompletionSource<InterestsResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
