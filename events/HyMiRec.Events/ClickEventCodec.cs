using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HyMiRec.Events;

/// <summary>
/// Click event format v1 (docs/events.md): a JSON object with userId, itemId, timestamp (ISO-8601 with offset, or
/// unix milliseconds), optional eventType (default "click"), optional eventId (the producer's id of the click, see
/// <see cref="EventIds"/>) and optional schema (must be 1); the Kafka key is the user id. Unknown extra fields are
/// ignored so producers can add fields without breaking this reader.
/// </summary>
public sealed class ClickEventCodec
{
    public const int SchemaVersion = 1;
    public const int DefaultMaxMessageBytes = 64 * 1024;
    public const string DefaultEventType = "click";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
    private static readonly long MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    private readonly TimeSpan? _maxFutureSkew;
    private readonly TimeProvider _clock;

    /// <param name="maxMessageBytes">Larger values are rejected as oversized.</param>
    /// <param name="maxFutureSkew">Timestamps further ahead of <paramref name="clock"/> are rejected; null accepts any (replays).</param>
    /// <param name="clock">The silo's clock; the system clock when null.</param>
    public ClickEventCodec(int maxMessageBytes = DefaultMaxMessageBytes, TimeSpan? maxFutureSkew = null, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        MaxMessageBytes = maxMessageBytes;
        _maxFutureSkew = maxFutureSkew;
        _clock = clock ?? TimeProvider.System;
    }

    public int MaxMessageBytes { get; }

    /// <summary>Decodes one Kafka message; never throws for bad input, it returns the rejection instead.</summary>
    public ClickDecodeResult Decode(byte[]? key, byte[]? value, LogPosition? source)
    {
        value ??= [];
        if (value.Length > MaxMessageBytes)
        {
            return ClickDecodeResult.Reject(RejectionReason.Oversized, $"message is {value.Length} bytes; the limit is {MaxMessageBytes}");
        }

        if (value.Length == 0)
        {
            return ClickDecodeResult.Reject(RejectionReason.MalformedJson, "message value is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value, ParseOptions);
        }
        catch (JsonException e)
        {
            return ClickDecodeResult.Reject(RejectionReason.MalformedJson, e.Message);
        }

        using (document)
        {
            return Decode(key, document.RootElement, source);
        }
    }

    private ClickDecodeResult Decode(byte[]? key, JsonElement root, LogPosition? source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ClickDecodeResult.Reject(RejectionReason.MalformedJson, $"expected a JSON object, got {root.ValueKind}");
        }

        if (root.TryGetProperty("schema", out var schema) && !(schema.ValueKind == JsonValueKind.Number && schema.TryGetInt32(out var version) && version == SchemaVersion))
        {
            return ClickDecodeResult.Reject(RejectionReason.UnknownSchema, $"schema is {schema.GetRawText()}; this reader understands schema {SchemaVersion}");
        }

        if (ReadString(root, "userId", required: true, out var userId) is { } userError)
        {
            return userError;
        }

        if (ReadString(root, "itemId", required: true, out var itemId) is { } itemError)
        {
            return itemError;
        }

        if (ReadString(root, "eventType", required: false, out var eventType) is { } typeError)
        {
            return typeError;
        }

        // Optional and added later: messages without it, written before it existed, stay readable.
        if (ReadString(root, "eventId", required: false, out var eventId) is { } idError)
        {
            return idError;
        }

        if (ReadTimestamp(root, out var timestamp) is { } timeError)
        {
            return timeError;
        }

        if (CheckKey(key, userId!) is { } keyError)
        {
            return keyError;
        }

        // The rules the user grain and the HTTP API apply: a click they would refuse is refused here, with its reason.
        if (UserIds.Problem(userId) is { } userProblem)
        {
            return ClickDecodeResult.Reject(RejectionReason.InvalidUserId, userProblem);
        }

        if (ItemIds.Problem(itemId) is { } itemProblem)
        {
            return ClickDecodeResult.Reject(RejectionReason.InvalidItemId, itemProblem);
        }

        if (eventId is not null && EventIds.Problem(eventId) is { } eventIdProblem)
        {
            return ClickDecodeResult.Reject(RejectionReason.InvalidEventId, eventIdProblem);
        }

        if (_maxFutureSkew is { } skew && Timestamps.Problem(timestamp, _clock.GetUtcNow(), skew) is { } timeProblem)
        {
            return ClickDecodeResult.Reject(RejectionReason.FutureTimestamp, timeProblem);
        }

        return ClickDecodeResult.Accept(new ClickEvent(userId!, itemId!, timestamp, eventType ?? DefaultEventType, source, EventId: eventId));
    }

    private static ClickDecodeResult? ReadString(JsonElement root, string name, bool required, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? ClickDecodeResult.Reject(RejectionReason.MissingField, $"{name} is missing") : null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return ClickDecodeResult.Reject(RejectionReason.UnknownSchema, $"{name} must be a string, got {element.ValueKind}");
        }

        value = element.GetString();
        return string.IsNullOrWhiteSpace(value) ? ClickDecodeResult.Reject(RejectionReason.EmptyField, $"{name} is empty") : null;
    }

    private static ClickDecodeResult? ReadTimestamp(JsonElement root, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!root.TryGetProperty("timestamp", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ClickDecodeResult.Reject(RejectionReason.MissingField, "timestamp is missing");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (!element.TryGetInt64(out var millis))
                {
                    return ClickDecodeResult.Reject(RejectionReason.InvalidTimestamp, $"timestamp {element.GetRawText()} is not whole unix milliseconds");
                }

                if (millis < MinUnixMilliseconds || millis > MaxUnixMilliseconds)
                {
                    return ClickDecodeResult.Reject(RejectionReason.InvalidTimestamp, $"timestamp {millis} ms is outside the representable range");
                }

                timestamp = DateTimeOffset.FromUnixTimeMilliseconds(millis);
                return null;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (!HasTimeAndOffset(text) || !element.TryGetDateTimeOffset(out timestamp))
                {
                    return ClickDecodeResult.Reject(RejectionReason.InvalidTimestamp, $"timestamp \"{text}\" is not ISO-8601 date-time with an offset (e.g. 2024-05-01T12:00:00Z)");
                }

                return null;
            default:
                return ClickDecodeResult.Reject(RejectionReason.UnknownSchema, $"timestamp must be a string or a number, got {element.ValueKind}");
        }
    }

    /// <summary>A timestamp without an offset would be read in the silo's local zone; we refuse to guess.</summary>
    private static bool HasTimeAndOffset(string text)
    {
        var t = text.IndexOfAny(['T', 't']);
        if (t < 0)
        {
            return false;
        }

        return text.EndsWith('Z') || text.EndsWith('z') || text.IndexOfAny(['+', '-'], t) > t;
    }

    private static ClickDecodeResult? CheckKey(byte[]? key, string userId)
    {
        if (key is null || key.Length == 0)
        {
            return ClickDecodeResult.Reject(RejectionReason.KeyMismatch, $"message has no key; the key must be the user id \"{userId}\"");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(key);
        }
        catch (DecoderFallbackException)
        {
            return ClickDecodeResult.Reject(RejectionReason.KeyMismatch, "message key is not UTF-8");
        }

        return string.Equals(text, userId, StringComparison.Ordinal)
            ? null
            : ClickDecodeResult.Reject(RejectionReason.KeyMismatch, $"message key \"{text}\" differs from userId \"{userId}\"");
    }

    /// <summary>The Kafka key for a user's clicks.</summary>
    public static byte[] EncodeKey(string userId) => StrictUtf8.GetBytes(userId);

    /// <summary>Writes a click in format v1 (schema 1, ISO-8601 UTC timestamp; eventId only when the click has one).</summary>
    public static byte[] Encode(ClickEvent click)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schema", SchemaVersion);
            writer.WriteString("userId", click.UserId);
            writer.WriteString("itemId", click.ItemId);
            writer.WriteString("timestamp", click.Timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("eventType", click.EventType);
            if (click.EventId is not null)
            {
                writer.WriteString("eventId", click.EventId);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
