using System.Diagnostics;
using HyMiRec.Events;
using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Journal;
using HyMiRec.Interfaces;
using HyMiRec.Model.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HyMiRec.Grains.Users;

/// <summary>
/// A user's click history and interests. Clicks arrive through <see cref="AppendAsync"/> or, batched per user and
/// Kafka poll, the implicit click stream; both are idempotent by Kafka offset. A delivery costs one journal append
/// (group-committed with other grains' appends) whatever the history's length; items are encoded by array lookups
/// in the silo's loaded model. Interests are a pure function of history and model, recomputed per
/// <see cref="UsersOptions.RecomputeMode"/> by the silo's batched model host; a deactivating grain leaves them in
/// <see cref="IInterestSnapshots"/>, so the next activation serves reads before its first recompute (docs/serving.md).
/// </summary>
[ImplicitStreamSubscription(StreamNames.ClickNamespace)]
public sealed class UserGrain(
    IUserJournal journal,
    IInterestSnapshots snapshots,
    LegacyUserStates legacy,
    InterestModelHost host,
    IClickDeadLetters deadLetters,
    IOptions<UsersOptions> options,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<ClickEvent>
{
    private readonly UsersOptions _options = options.Value;
    private readonly RecomputePolicy _policy = new(options.Value);
    private readonly SnapshotKeeper _snapshots = new(snapshots, logger);
    private UserHistory _history = new(options.Value.HistoryCap);
    private ComputedInterests? _interests;
    private Task? _recompute;
    private IGrainTimer? _recomputeTimer;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        UserIds.Validate(UserId);
        var snapshot = _snapshots.ReadAsync(UserId, cancellationToken);
        if (_options.RecomputeMode == RecomputeMode.OnRead)
        {
            // Only the head (version, offsets): the events are read when interests or the history are first needed,
            // so an activation for ingest costs the same whatever the history's length.
            var head = await journal.ReadHeadAsync(UserId, cancellationToken);
            var imported = head.Version == 0 ? await legacy.ImportAsync(UserId, this.GetGrainId(), journal, cancellationToken) : null;
            _history = imported is null ? UserHistory.FromHead(head, _options.HistoryCap) : UserHistory.FromJournal(imported, _options.HistoryCap);
        }
        else
        {
            // The first click recomputes, which needs the events: one read instead of the head and then the rest.
            var read = await journal.ReadAsync(UserId, cancellationToken);
            read = read.Version == 0 ? await legacy.ImportAsync(UserId, this.GetGrainId(), journal, cancellationToken) ?? read : read;
            _history = UserHistory.FromJournal(read, _options.HistoryCap);
        }

        await host.Ready.WaitAsync(cancellationToken);
        if (_snapshots.Adopt(await snapshot, _history.Version, host.Info.ModelVersion) is { } adopted)
        {
            // Reads answer at once, as from a warm grain; events after the snapshot get one background pass.
            _interests = adopted;
            if (_policy.Pending(_history.Version, adopted.EventsSeen))
            {
                _recompute = RecomputeInBackgroundAsync();
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_recompute is { IsCompleted: false } running)
        {
            // The pass in flight covers the newest clicks; the snapshot should too. It logs its own failures.
            await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        if (_history.Count > 0)
        {
            await _snapshots.StoreAsync(UserId, _interests, cancellationToken);
        }
    }

    public async Task<AppendResult> AppendAsync(IReadOnlyList<ClickEvent> events)
    {
        foreach (var e in events)
        {
            var problem = ClickChecks.Problem(e, UserId);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(events));
            }
        }

        return await ApplyAsync(events);
    }

    public async Task<UserInterestsView?> GetInterestsAsync()
    {
        if (_history.Count == 0)
        {
            return null;
        }

        if (_recompute is { IsCompleted: false } running)
        {
            await running;
        }

        if (_policy.MustRecomputeForRead(_history.Version, _interests?.EventsSeen, _interests?.Result.ModelVersion, host.Info.ModelVersion))
        {
            await RecomputeAsync(interactive: true);
        }

        var i = _interests!;
        return new UserInterestsView(UserId, i.Result.ModelVersion, i.Result.Dimension, i.Result.Coarse, i.Result.Refined, i.ComputedAt, i.EventsSeen);
    }

    public async Task<IReadOnlyList<HistoryEntryView>> GetHistoryAsync(int limit)
    {
        if (limit < 1 || limit > _options.MaxHistoryLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {_options.MaxHistoryLimit}");
        }

        await EnsureLoadedAsync();
        var count = Math.Min(limit, _history.Count);
        var ids = new string[count];
        for (var j = 0; j < count; j++)
        {
            ids[j] = _history.ItemIds[_history.Count - 1 - j];
        }

        var encoded = host.Encode(ids);
        var entries = new HistoryEntryView[count];
        for (var j = 0; j < count; j++)
        {
            var known = encoded.Indices[j] != 0;
            var layers = encoded.Layers;
            entries[j] = new HistoryEntryView(
                ids[j],
                encoded.Indices[j],
                DateTimeOffset.FromUnixTimeMilliseconds(_history.TimestampsMs[_history.Count - 1 - j]),
                known ? encoded.Codes.AsSpan(j * layers, layers).ToArray() : [],
                known ? [.. encoded.MagnitudeBits.AsSpan(j * layers, layers).ToArray().Select(b => (float)BitConverter.UInt16BitsToHalf(b))] : []);
        }

        return entries;
    }

    public async Task<IReadOnlyList<RecommendationView>> GetRecommendationsAsync(int k)
    {
        if (k < 1 || k > _options.MaxRecommendations)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {_options.MaxRecommendations}");
        }

        var served = _interests is { } held && _policy.CanServeHeld(held.Result.ModelVersion, host.Info.ModelVersion)
            ? held.Result
            : await GetInterestsAsync() is null ? null : _interests!.Result;
        if (served is null)
        {
            return [];
        }

        await EnsureLoadedAsync();
        _history.MapTo(host.Catalog);
        // One set per read, handed to the scorer as it is (unknown items, index 0, are never scored anyway).
        var exclude = _options.ExcludeSeen ? _history.Indices.ToHashSet() : null;
        return host.Recommend(served, k, exclude);
    }

    public async Task DeleteAsync()
    {
        await journal.DeleteAsync(UserId);
        await _snapshots.DeleteAsync(UserId);
        await legacy.ClearAsync(this.GetGrainId());
        _history = new UserHistory(_options.HistoryCap);
        _interests = null;
        GrainsLog.UserDeleted(logger, UserId);
        DeactivateOnIdle();
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        await handleFactory.Create<ClickEvent>().ResumeAsync(this);
    }

    /// <summary>
    /// A delivery from the click stream. A click refused for good (a bad argument or bad data, as opposed to an
    /// outage, which is thrown so the delivery is retried) goes to the dead-letter place with its reason, and the
    /// other clicks delivered with it are applied: a poison click never blocks its partition.
    /// </summary>
    public async Task OnNextAsync(IList<SequentialItem<ClickEvent>> items)
    {
        var valid = new List<ClickEvent>(items.Count);
        foreach (var item in items)
        {
            if (ClickChecks.Problem(item.Item, UserId) is { } problem)
            {
                await deadLetters.RefuseAsync(item.Item, problem);
            }
            else
            {
                valid.Add(item.Item);
            }
        }

        try
        {
            await ApplyAsync(valid);
        }
        catch (Exception e) when (ClickChecks.IsRefusal(e))
        {
            foreach (var click in valid)
            {
                try
                {
                    await ApplyAsync([click]);
                }
                catch (Exception refused) when (ClickChecks.IsRefusal(refused))
                {
                    GrainsLog.InvalidStreamEvent(logger, UserId, refused.Message);
                    await deadLetters.RefuseAsync(click, refused.Message);
                }
            }
        }
    }

    public Task OnErrorAsync(Exception ex)
    {
        GrainsLog.StreamError(logger, ex, UserId);
        return Task.CompletedTask;
    }

    private async Task<AppendResult> ApplyAsync(IReadOnlyList<ClickEvent> events)
    {
        var batch = _history.Plan(events);
        ServingMetrics.EventsDuplicate.Add(batch.Duplicates);
        if (batch.Events.Count == 0)
        {
            return new AppendResult(0, batch.Duplicates, 0, _history.Count);
        }

        try
        {
            // Memory changes only after the journal has the clicks: a failed write leaves nothing to mistake for a duplicate.
            await journal.AppendAsync(UserId, _history.Version, batch.Events, batch.Offsets);
        }
        catch (JournalConflictException)
        {
            DeactivateOnIdle();
            throw;
        }

        _history.Commit(batch);
        ServingMetrics.EventsApplied.Add(batch.Events.Count);
        var catalog = host.Catalog;
        var unknown = batch.Events.Count(e => !catalog.TryGetIndex(e.ItemId, out _));

        if (_history.NeedsCompaction(_options.CompactAfterRows))
        {
            await CompactAsync();
        }

        ScheduleRecompute(batch.Fresh);
        return new AppendResult(batch.Events.Count, batch.Duplicates, unknown, _history.Count);
    }

    private async Task CompactAsync()
    {
        await EnsureLoadedAsync();
        var (kept, offsets) = _history.Snapshot();
        try
        {
            await journal.CompactAsync(UserId, _history.Version, kept, offsets);
            _history.Compacted();
        }
        catch (JournalConflictException)
        {
            DeactivateOnIdle();
            throw;
        }
        catch (Exception e)
        {
            // The append itself is durable; compaction is retried after the next one.
            GrainsLog.CompactionFailed(logger, e, UserId);
        }
    }

    private void ScheduleRecompute(IReadOnlyList<ClickEvent> fresh)
    {
        _policy.Arrived(fresh, _history.Version, DateTimeOffset.UtcNow);
        switch (_policy.Decide(_history.Version, _recomputeTimer is not null))
        {
            case RecomputeDecision.Now:
                _recomputeTimer?.Dispose();
                _recomputeTimer = null;
                if (_recompute is null || _recompute.IsCompleted)
                {
                    _recompute = RecomputeInBackgroundAsync();
                }

                break;
            case RecomputeDecision.StartTimer:
                _recomputeTimer = this.RegisterGrainTimer(
                    OnRecomputeTimerAsync,
                    new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(_options.RecomputeIntervalMs), Timeout.InfiniteTimeSpan) { KeepAlive = true });
                break;
        }
    }

    private Task OnRecomputeTimerAsync(CancellationToken cancellation)
    {
        _recomputeTimer?.Dispose();
        _recomputeTimer = null;
        if (_recompute is null || _recompute.IsCompleted)
        {
            _recompute = RecomputeInBackgroundAsync();
        }

        return _recompute;
    }

    /// <summary>Coalesces: clicks that arrive during a pass are covered by one more pass after it, not one each.</summary>
    private async Task RecomputeInBackgroundAsync()
    {
        try
        {
            while (_policy.Pending(_history.Version, _interests?.EventsSeen))
            {
                await RecomputeAsync(interactive: false);
            }
        }
        catch (Exception e)
        {
            GrainsLog.RecomputeFailed(logger, e, UserId);
        }
    }

    /// <param name="interactive">A caller waits for it: refused at once when the inference queue is full.</param>
    private async Task RecomputeAsync(bool interactive)
    {
        // This pass covers every click so far; a timer for them would only repeat it.
        _recomputeTimer?.Dispose();
        _recomputeTimer = null;
        var started = Stopwatch.GetTimestamp();
        await EnsureLoadedAsync();
        var seen = _history.Version;
        InterestsResult result;
        try
        {
            result = await ComputeOnceAsync(interactive);
        }
        catch (CatalogChangedException)
        {
            result = await ComputeOnceAsync(interactive);
        }

        _interests = new ComputedInterests(result, seen, DateTimeOffset.UtcNow);
        ServingMetrics.RecomputeMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _policy.Covered(seen, _interests.ComputedAt);
    }

    private Task<InterestsResult> ComputeOnceAsync(bool interactive)
    {
        var catalog = host.Catalog;
        _history.MapTo(catalog);
        var info = host.Info;
        var recent = _options.RecentItems == 0 ? info.RecentLength : Math.Min(_options.RecentItems, info.RecentLength);
        return host.ComputeAsync(catalog, _history.Window(info.MaxHistory, HistoryWindow.Stride(_options.HistoryWindowStride, info.MaxHistory)), recent, refuseWhenFull: interactive, userKey: UserId);
    }

    /// <summary>
    /// Reads the events of a history made from the journal's head. An append may commit while the read runs (a
    /// background recompute interleaves with requests), so the read is taken only if it has every committed event.
    /// </summary>
    private async Task EnsureLoadedAsync()
    {
        for (var attempt = 0; !_history.IsLoaded; attempt++)
        {
            var read = await journal.ReadAsync(UserId);
            if (_history.IsLoaded)
            {
                return;
            }

            if (read.Version == _history.Version)
            {
                _history = UserHistory.FromJournal(read, _options.HistoryCap);
            }
            else if (attempt >= 3 || read.Version > _history.Version)
            {
                DeactivateOnIdle();
                throw new JournalConflictException(UserId, _history.Version);
            }
        }
    }
}
