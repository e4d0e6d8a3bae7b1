using HyMiRec.Grains.Journal;
using Microsoft.Extensions.Logging;

namespace HyMiRec.Grains.Users;

/// <summary>
/// A user grain's side of <see cref="IInterestSnapshots"/>: reads the stored interests at activation, decides whether
/// the served model may answer reads with them, and stores the held ones at deactivation unless they are the ones
/// read. Store failures are logged, not thrown: a snapshot is a cache, and without it the next activation recomputes
/// before its first read.
/// </summary>
public sealed class SnapshotKeeper(IInterestSnapshots snapshots, ILogger logger)
{
    private ComputedInterests? _stored;

    /// <summary>The stored snapshot; null when there is none or it cannot be read.</summary>
    public async Task<InterestSnapshot?> ReadAsync(string userId, CancellationToken cancellation)
    {
        try
        {
            return await snapshots.ReadAsync(userId, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GrainsLog.SnapshotNotRead(logger, e, userId);
            return null;
        }
    }

    /// <summary>
    /// The interests to hold from <paramref name="snapshot"/>, or null when the served model did not compute them over
    /// events a history of <paramref name="historyVersion"/> events still has.
    /// </summary>
    public ComputedInterests? Adopt(InterestSnapshot? snapshot, long historyVersion, string servedModel)
    {
        var fit = snapshot?.FitFor(historyVersion, servedModel);
        ServingMetrics.SnapshotLoads.Add(1, new KeyValuePair<string, object?>("result", fit switch
        {
            null => "none",
            SnapshotFit.Current => "current",
            SnapshotFit.Behind => "behind",
            _ => "unusable",
        }));
        if (snapshot is null || fit == SnapshotFit.Unusable)
        {
            return null;
        }

        return _stored = new ComputedInterests(snapshot.Interests, snapshot.EventsSeen, snapshot.ComputedAt);
    }

    /// <summary>Stores <paramref name="held"/> unless it is what the store already has.</summary>
    public async Task StoreAsync(string userId, ComputedInterests? held, CancellationToken cancellation)
    {
        if (held is null || ReferenceEquals(held, _stored))
        {
            return;
        }

        try
        {
            await snapshots.WriteAsync(userId, new InterestSnapshot(held.Result, held.EventsSeen, held.ComputedAt), cancellation);
            _stored = held;
        }
        catch (Exception e)
        {
            GrainsLog.SnapshotNotStored(logger, e, userId);
        }
    }

    public async Task DeleteAsync(string userId)
    {
        await snapshots.DeleteAsync(userId);
        _stored = null;
    }
}
