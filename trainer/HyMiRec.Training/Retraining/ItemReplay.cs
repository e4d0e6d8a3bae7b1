using HyMiRec.Events;

namespace HyMiRec.Training.Retraining;

/// <summary>Catalog updates from the items topic (item events v1, docs/events.md), oldest first, and what was skipped.</summary>
public sealed record ItemReplayResult(IReadOnlyList<(string ItemId, string Text)> Items, long Read, long Rejected);

/// <summary>
/// Replays the items topic (<see cref="ItemEventCodec"/>). A later
/// message for the same id replaces the text; malformed messages are counted and skipped.
/// </summary>
public static class ItemReplay
{
    public static ItemReplayResult Read(ReplaySource source, string topic, IProgress<ReplayProgress>? progress = null, CancellationToken cancellation = default)
    {
        var items = new List<(string, string)>();
        long rejected = 0;
        var read = TopicReplay.Read(source with { From = null, Until = null }, topic, message =>
        {
            if (ItemEventCodec.TryDecode(message.Message.Value, out var item))
            {
                items.Add(item);
            }
            else
            {
                rejected++;
            }
        }, progress, cancellation);
        return new ItemReplayResult(items, read, rejected);
    }
}
