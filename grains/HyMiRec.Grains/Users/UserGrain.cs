using System.Diagnostics;
using HyMiRec.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HyMiRec.Grains.Users;

/// <summary>
/// A user's click history and interests. Clicks arrive through <see cref="AppendAsync"/> (HTTP API, clients) or the
/// implicit per-user click stream (Kafka); both paths are idempotent by Kafka offset. Interests are recomputed per
/// <see cref="UsersOptions.RecomputeMode"/> through the silo's batched <see cref="IInferenceGrain"/>.
/// </summary>
[ImplicitStreamSubscription(StreamNames.ClickNamespace)]
public sealed class UserGrain(
    [PersistentState("user", StorageNames.Users)] IPersistentState<UserState> state,
    IOptions<UsersOptions> options,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IStreamSubscriptionObserver, IAsyncObserver<ClickEvent>
{
    private readonly UsersOptions _options = options.Value;
    private IGrainTimer? _recomputeTimer;
    private long _pendingEvents;

    private string UserId => this.GetPrimaryKeyString();

    private IInferenceGrain Inference => GrainFactory.GetGrain<IInferenceGrain>(0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        UserIds.Validate(UserId);
        if (state.State.Count > 0)
        {
            var info = await Inference.GetModelInfoAsync();
            if (state.State.CodebookVersion != info.CodebookVersion || state.State.Items.Contains(0))
            {
                await ReencodeAsync(info);
            }
        }
    }

    public async Task<AppendResult> AppendAsync(IReadOnlyList<ClickEvent> events)
    {
        foreach (var e in events)
        {
            var problem = Problem(e);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(events));
            }
        }

        return await ApplyAsync(events);
    }

    public async Task<UserInterestsView?> GetInterestsAsync()
    {
        if (state.State.TotalEvents == 0)
        {
            return null;
        }

        var info = await Inference.GetModelInfoAsync();
        var stale = _options.RecomputeMode == RecomputeMode.OnRead && state.State.EventsAtCompute != state.State.TotalEvents;
        if (stale || state.State.Refined is null || state.State.ModelVersion != info.ModelVersion)
        {
            await RecomputeAsync();
        }

        var s = state.State;
        return new UserInterestsView(UserId, s.ModelVersion!, s.Dimension, s.Coarse!, s.Refined!, s.ComputedAt!.Value, s.EventsAtCompute);
    }

    public Task<IReadOnlyList<HistoryEntryView>> GetHistoryAsync(int limit)
    {
        if (limit < 1 || limit > _options.MaxHistoryLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {_options.MaxHistoryLimit}");
        }

        var s = state.State;
        var count = Math.Min(limit, s.Count);
        var entries = new HistoryEntryView[count];
        for (var j = 0; j < count; j++)
        {
            var i = s.Count - 1 - j;
            var known = s.Items[i] != 0;
            var codes = known ? s.Codes.GetRange(i * s.Layers, s.Layers).ToArray() : [];
            var magnitudes = known ? s.MagnitudeBits.GetRange(i * s.Layers, s.Layers).Select(b => (float)BitConverter.UInt16BitsToHalf(b)).ToArray() : [];
            entries[j] = new HistoryEntryView(s.ExternalIds[i], s.Items[i], DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampsMs[i]), codes, magnitudes);
        }

        return Task.FromResult<IReadOnlyList<HistoryEntryView>>(entries);
    }

    public async Task<IReadOnlyList<RecommendationView>> GetRecommendationsAsync(int k)
    {
        if (k < 1 || k > _options.MaxRecommendations)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {_options.MaxRecommendations}");
        }

        var interests = await GetInterestsAsync();
        if (interests is null)
        {
            return [];
        }

        int[] exclude = _options.ExcludeSeen ? state.State.Items.Where(i => i != 0).Distinct().ToArray() : [];
        var result = new InterestsResult(interests.ModelVersion, state.State.CodebookVersion ?? "", interests.Dimension, interests.Coarse, interests.Refined);
        return await Inference.RecommendAsync(result, k, exclude);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        await handleFactory.Create<ClickEvent>().ResumeAsync(this);
    }

    public async Task OnNextAsync(ClickEvent item, StreamSequenceToken? token = null)
    {
        // A bad record in the log must not block the stream: it is logged and skipped, the rest applied.
        var problem = Problem(item);
        if (problem is not null)
        {
            GrainsLog.InvalidStreamEvent(logger, UserId, problem);
            return;
        }

        await ApplyAsync([item]);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        GrainsLog.StreamError(logger, ex, UserId);
        return Task.CompletedTask;
    }

    private string? Problem(ClickEvent e)
    {
        if (!string.Equals(e.UserId, UserId, StringComparison.Ordinal))
        {
            return $"event for user '{e.UserId}' sent to user '{UserId}'";
        }

        return ItemIds.Problem(e.ItemId);
    }

    private async Task<AppendResult> ApplyAsync(IReadOnlyList<ClickEvent> events)
    {
        var s = state.State;
        var offsets = new Dictionary<int, long>(s.LastOffsets);
        var fresh = new List<ClickEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.Source is { } source)
            {
                if (offsets.TryGetValue(source.Partition, out var last) && source.Offset <= last)
                {
                    continue;
                }

                offsets[source.Partition] = source.Offset;
            }

            fresh.Add(e);
        }

        var duplicates = events.Count - fresh.Count;
        ServingMetrics.EventsDuplicate.Add(duplicates);
        if (fresh.Count == 0)
        {
            return new AppendResult(0, duplicates, 0, s.Count);
        }

        var encoded = await Inference.EncodeAsync(fresh.Select(e => e.ItemId).ToArray());
        if (s.CodebookVersion is not null && s.CodebookVersion != encoded.CodebookVersion)
        {
            await ReencodeAsync(await Inference.GetModelInfoAsync());
            encoded = await Inference.EncodeAsync(fresh.Select(e => e.ItemId).ToArray());
        }

        s.CodebookVersion = encoded.CodebookVersion;
        s.Layers = encoded.Layers;
        for (var i = 0; i < fresh.Count; i++)
        {
            s.Items.Add(encoded.Indices[i]);
            s.ExternalIds.Add(fresh[i].ItemId);
            s.TimestampsMs.Add(fresh[i].Timestamp.ToUnixTimeMilliseconds());
            s.Codes.AddRange(encoded.Codes.AsSpan(i * encoded.Layers, encoded.Layers));
            s.MagnitudeBits.AddRange(encoded.MagnitudeBits.AsSpan(i * encoded.Layers, encoded.Layers));
        }

        if (s.Count > _options.HistoryCap)
        {
            s.RemoveOldest(s.Count - _options.HistoryCap);
        }

        s.LastOffsets = offsets;
        s.TotalEvents += fresh.Count;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The clicks and their offsets are now in memory but maybe not stored: a redelivery would be taken for a
            // duplicate and the clicks lost with this activation. The next call gets a fresh one that reads what was stored.
            DeactivateOnIdle();
            throw;
        }

        ServingMetrics.EventsApplied.Add(fresh.Count);
        await ScheduleRecomputeAsync(fresh.Count);
        return new AppendResult(fresh.Count, duplicates, encoded.Indices.Count(i => i == 0), s.Count);
    }

    private async Task ScheduleRecomputeAsync(int newEvents)
    {
        if (_options.RecomputeMode == RecomputeMode.OnRead)
        {
            return;
        }

        _pendingEvents += newEvents;
        if (_options.RecomputeMode == RecomputeMode.EveryEvent || _pendingEvents >= _options.RecomputeEveryEvents)
        {
            await RecomputeAsync();
            return;
        }

        // One pending timer at most: a burst of appends costs one recompute when it fires.
        _recomputeTimer ??= this.RegisterGrainTimer(
            OnRecomputeTimerAsync,
            new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(_options.RecomputeIntervalMs), Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task OnRecomputeTimerAsync(CancellationToken cancellation)
    {
        try
        {
            if (_pendingEvents > 0)
            {
                await RecomputeAsync();
            }
        }
        catch (Exception e)
        {
            GrainsLog.RecomputeFailed(logger, e, UserId);
        }
    }

    private async Task RecomputeAsync()
    {
        _recomputeTimer?.Dispose();
        _recomputeTimer = null;
        _pendingEvents = 0;
        var started = Stopwatch.GetTimestamp();
        var info = await Inference.GetModelInfoAsync();
        if (state.State.Count > 0 && state.State.CodebookVersion != info.CodebookVersion)
        {
            await ReencodeAsync(info);
        }

        var s = state.State;
        var result = await Inference.ComputeAsync(BuildInput(s, info));
        s.ModelVersion = result.ModelVersion;
        s.Dimension = result.Dimension;
        s.Coarse = result.Coarse;
        s.Refined = result.Refined;
        s.ComputedAt = DateTimeOffset.UtcNow;
        var covered = (int)Math.Min(s.TotalEvents - s.EventsAtCompute, s.Count);
        s.EventsAtCompute = s.TotalEvents;
        await state.WriteStateAsync();
        ServingMetrics.RecomputeMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        RecordClickToInterest(s, covered, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>One latency per click this recompute covers for the first time (the newest <paramref name="covered"/> events).</summary>
    private static void RecordClickToInterest(UserState s, int covered, long nowMs)
    {
        for (var i = s.Count - covered; i < s.Count; i++)
        {
            ServingMetrics.ClickToInterestMs.Record(nowMs - s.TimestampsMs[i]);
        }
    }

    private InferenceInput BuildInput(UserState s, ModelInfo info)
    {
        var known = new List<int>(s.Count);
        for (var i = 0; i < s.Count; i++)
        {
            if (s.Items[i] != 0)
            {
                known.Add(i);
            }
        }

        var history = known.Skip(Math.Max(0, known.Count - info.MaxHistory)).ToArray();
        var codes = new ushort[history.Length * s.Layers];
        var magnitudes = new ushort[history.Length * s.Layers];
        for (var j = 0; j < history.Length; j++)
        {
            s.Codes.CopyTo(history[j] * s.Layers, codes, j * s.Layers, s.Layers);
            s.MagnitudeBits.CopyTo(history[j] * s.Layers, magnitudes, j * s.Layers, s.Layers);
        }

        var n = _options.RecentItems == 0 ? info.RecentLength : Math.Min(_options.RecentItems, info.RecentLength);
        var recent = known.Skip(Math.Max(0, known.Count - n)).Select(i => s.Items[i]).ToArray();
        return new InferenceInput(codes, magnitudes, recent);
    }

    /// <summary>Rebuilds every event's index and codes from its external id with the loaded catalog and codebook.</summary>
    private async Task ReencodeAsync(ModelInfo info)
    {
        var s = state.State;
        var encoded = await Inference.EncodeAsync(s.ExternalIds.ToArray());
        var old = s.CodebookVersion;
        if (old == encoded.CodebookVersion && s.Items.SequenceEqual(encoded.Indices))
        {
            // Same codebook and the catalog still lacks the unknown items: nothing to rewrite.
            return;
        }

        s.Items = [.. encoded.Indices];
        s.Codes = [.. encoded.Codes];
        s.MagnitudeBits = [.. encoded.MagnitudeBits];
        s.Layers = encoded.Layers;
        s.CodebookVersion = encoded.CodebookVersion;
        if (old != encoded.CodebookVersion)
        {
            s.Refined = null;
            s.Coarse = null;
            GrainsLog.Reencoded(logger, UserId, old, info.CodebookVersion, s.Count);
        }

        await state.WriteStateAsync();
    }
}
