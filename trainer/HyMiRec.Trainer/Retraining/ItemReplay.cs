using System.Text.Json;

namespace HyMiRec.Trainer.Retraining;

/// <summary>Catalog updates from the items topic (item events v1, docs/events.md), oldest first, and what was skipped.</summary>
public sealed record ItemReplayResult(IReadOnlyList<(string ItemId, string Text)> Items, long Read, long Rejected);

/// <summary>
/// Replays the items topic: JSON values <c>{"itemId": "...", "text": "..."}</c> (optional "schema": 1). A later
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
            if (TryDecode(message.Message.Value, out var item))
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

    public static byte[] Encode(string itemId, string text) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["schema"] = 1, ["itemId"] = itemId, ["text"] = text });

    public static bool TryDecode(byte[]? value, out (string ItemId, string Text) item)
    {
        item = default;
        if (value is null || value.Length == 0)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || (root.TryGetProperty("schema", out var schema) && (schema.ValueKind != JsonValueKind.Number || schema.GetInt32() != 1))
                || !root.TryGetProperty("itemId", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(id.GetString()))
            {
                return false;
            }

            item = (id.GetString()!, text.GetString()!);
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
