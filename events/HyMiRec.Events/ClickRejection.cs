namespace HyMiRec.Events;

/// <summary>A rejected message's reason code and a human-readable detail (which field, what was wrong).</summary>
public sealed record ClickRejection(RejectionReason Reason, string Detail)
{
    /// <summary>The reason as written into the dead-letter header, e.g. "missing-field".</summary>
    public string Code => ToCode(Reason);

    public static string ToCode(RejectionReason reason) => reason switch
    {
        RejectionReason.MalformedJson => "malformed-json",
        RejectionReason.MissingField => "missing-field",
        RejectionReason.EmptyField => "empty-field",
        RejectionReason.Oversized => "oversized",
        RejectionReason.UnknownSchema => "unknown-schema",
        RejectionReason.InvalidTimestamp => "invalid-timestamp",
        RejectionReason.KeyMismatch => "key-mismatch",
        RejectionReason.InvalidUserId => "invalid-user-id",
        RejectionReason.InvalidItemId => "invalid-item-id",
        RejectionReason.InvalidEventId => "invalid-event-id",
        RejectionReason.FutureTimestamp => "future-timestamp",
        RejectionReason.Refused => "refused",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public override string ToString() => $"{Code}: {Detail}";
}
