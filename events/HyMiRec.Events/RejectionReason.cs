namespace HyMiRec.Events;

/// <summary>Why a click message was not accepted; written as the <c>dlq-reason</c> header (kebab-case).</summary>
public enum RejectionReason
{
    /// <summary>The value is not a single well-formed UTF-8 JSON object.</summary>
    MalformedJson,

    /// <summary>A required field (userId, itemId, timestamp) is absent.</summary>
    MissingField,

    /// <summary>A string field is present but empty or whitespace.</summary>
    EmptyField,

    /// <summary>The value is larger than the configured message limit.</summary>
    Oversized,

    /// <summary>A "schema" other than 1, or a field of an unexpected JSON type.</summary>
    UnknownSchema,

    /// <summary>The timestamp string is not ISO-8601 with an offset, or the number is out of range.</summary>
    InvalidTimestamp,

    /// <summary>The Kafka message key is missing or differs from userId.</summary>
    KeyMismatch,

    /// <summary>The user id breaks the shared rule (too long, control characters): its grain could never be activated.</summary>
    InvalidUserId,

    /// <summary>The item id breaks the shared rule (too long).</summary>
    InvalidItemId,

    /// <summary>The timestamp is further ahead of the silo's clock than Kafka:MaxFutureSkew.</summary>
    FutureTimestamp,

    /// <summary>The optional eventId breaks the shared rule (length, charset).</summary>
    InvalidEventId,

    /// <summary>The user grain refused the click for good (an argument or data error, not an outage).</summary>
    Refused,
}
