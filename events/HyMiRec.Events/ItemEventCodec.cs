using System.Text.Json;

namespace HyMiRec.Events;

/// <summary>
/// Item event format v1 (docs/events.md): JSON values <c>{"itemId": "...", "text": "..."}</c> (optional "schema": 1)
/// on the items topic, keyed by the item id.
/// </summary>
public static class ItemEventCodec
{
    public const int SchemaVersion = 1;

    public static byte[] Encode(string itemId, string text) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["schema"] = SchemaVersion, ["itemId"] = itemId, ["text"] = text });

    /// <summary>False for anything that is not a v1 item event with a non-blank id; never throws for bad input.</summary>
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
                || (root.TryGetProperty("schema", out var schema) && (schema.ValueKind != JsonValueKind.Number || schema.GetInt32() != SchemaVersion))
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
