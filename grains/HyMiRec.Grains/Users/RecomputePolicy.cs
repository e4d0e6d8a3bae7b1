using HyMiRec.Events;

namespace HyMiRec.Grains.Users;

public enum RecomputeDecision
{
    None,
    Now,
    StartTimer,
}

/// <summary>
/// When a user's interests are recomputed (<see cref="UsersOptions.RecomputeMode"/>), and the freshness of each
/// click: from the moment it entered Kafka (or reached the grain, for clicks posted directly) to the recompute that
/// first covers it, recorded as <c>hymirec.user.click_to_interest</c> (its first part, to the durable append, as
/// <c>hymirec.user.click_to_history</c>); the age of the click's own timestamp then is
/// <c>hymirec.user.event_time_lag</c>. Plain class: the grain asks, tests check it without a silo.
/// </summary>
public sealed class RecomputePolicy(UsersOptions options)
{
    // Bounded so a user whose interests are never read (OnRead) does not hoard arrival times.
    private const int MaxTracked = 4096;

    private readonly Queue<(long Seq, DateTimeOffset Logged, DateTimeOffset EventTime)> _waiting = new();
    private long _arrivedSinceCompute;

    /// <summary>Fresh clicks were appended; <paramref name="version"/> is the history's version after them.</summary>
    public void Arrived(IReadOnlyList<ClickEvent> fresh, long version, DateTimeOffset now)
    {
        _arrivedSinceCompute += fresh.Count;
        for (var i = 0; i < fresh.Count; i++)
        {
            if (_waiting.Count == MaxTracked)
            {
                _waiting.Dequeue();
            }

            var logged = fresh[i].LoggedAt ?? now;
            ServingMetrics.ClickToHistoryMs.Record(Math.Max(0, (now - logged).TotalMilliseconds));
            _waiting.Enqueue((version - fresh.Count + i + 1, logged, fresh[i].Timestamp));
        }
    }

    public RecomputeDecision Decide(long version, bool timerRunning) => options.RecomputeMode switch
    {
        RecomputeMode.OnRead => RecomputeDecision.None,
        RecomputeMode.EveryEvent => RecomputeDecision.Now,
        _ when _arrivedSinceCompute >= options.RecomputeEveryEvents => RecomputeDecision.Now,
        _ when !timerRunning && _arrivedSinceCompute > 0 => RecomputeDecision.StartTimer,
        _ => RecomputeDecision.None,
    };

    /// <summary>Whether the interests (covering <paramref name="seen"/> events, null = none) lag the history.</summary>
    public static bool Stale(long version, long? seen) => seen is null || seen < version;

    public bool Pending(long version, long? seen) => options.RecomputeMode != RecomputeMode.OnRead && Stale(version, seen);

    /// <summary>
    /// Whether a read of the interests must recompute first: none yet, computed by another model, or (OnRead) older
    /// than the history. Interests kept fresh by ingest are otherwise read as they are.
    /// </summary>
    public bool MustRecomputeForRead(long version, long? seen, string? computedBy, string currentModel) =>
        seen is null || !string.Equals(computedBy, currentModel, StringComparison.Ordinal)
        || (options.RecomputeMode == RecomputeMode.OnRead && seen != version);

    /// <summary>
    /// Whether recommendations may be scored from the interests held without waiting for a recompute in flight: ingest
    /// keeps them at most one pass behind (not so in OnRead, where nothing recomputes on ingest), and waiting would put
    /// the inference queue's latency on every read while clicks flow.
    /// </summary>
    public bool CanServeHeld(string? computedBy, string currentModel) =>
        computedBy is not null && options.RecomputeMode != RecomputeMode.OnRead && string.Equals(computedBy, currentModel, StringComparison.Ordinal);

    /// <summary>A recompute covering the first <paramref name="seen"/> events was stored at <paramref name="at"/>.</summary>
    public void Covered(long seen, DateTimeOffset at)
    {
        while (_waiting.Count > 0 && _waiting.Peek().Seq <= seen)
        {
            var (_, logged, eventTime) = _waiting.Dequeue();
            ServingMetrics.ClickToInterestMs.Record(Math.Max(0, (at - logged).TotalMilliseconds));
            ServingMetrics.EventTimeLagMs.Record((at - eventTime).TotalMilliseconds);
        }

        _arrivedSinceCompute = _waiting.Count == 0 ? 0 : Math.Min(_arrivedSinceCompute, _waiting.Count);
    }
}
