using HyMiRec.Events;

namespace HyMiRec.Training.Retraining;

/// <summary>One click as it sits in the log: the silo appends a user's clicks in (partition, offset) order.</summary>
public sealed record ReplayedClick(string UserId, string ItemId, DateTimeOffset Timestamp, int Partition, long Offset, string? EventId = null);

/// <summary>The decoded clicks of a replay and what was skipped, by rejection reason (the silos dead-letter those).</summary>
public sealed record ClickReplayResult(IReadOnlyList<ReplayedClick> Clicks, long Read, IReadOnlyDictionary<string, long> Rejected, TimeSpan Elapsed)
{
    public double EventsPerSecond => Read / Math.Max(1e-9, Elapsed.TotalSeconds);
}

/// <summary>Replays the click topic into memory, decoding each message with the silos' codec (schema v1, docs/events.md).</summary>
public static class ClickReplay
{
    public static ClickReplayResult Read(ReplaySource source, string topic, IProgress<ReplayProgress>? progress = null, CancellationToken cancellation = default)
    {
        var codec = new ClickEventCodec();
        var clicks = new List<ReplayedClick>();
        var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var read = TopicReplay.Read(source, topic, message =>
        {
            var decoded = codec.Decode(message.Message.Key, message.Message.Value, new LogPosition(message.Partition.Value, message.Offset.Value));
            if (decoded.Click is { } click)
            {
                clicks.Add(new ReplayedClick(click.UserId, click.ItemId, click.Timestamp, message.Partition.Value, message.Offset.Value, click.EventId));
            }
            else
            {
                var reason = decoded.Rejection!.Reason.ToString();
                rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
            }
        }, progress, cancellation);
        return new ClickReplayResult(clicks, read, rejected, clock.Elapsed);
    }
}
