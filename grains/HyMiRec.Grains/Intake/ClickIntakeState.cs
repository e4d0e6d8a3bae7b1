namespace HyMiRec.Grains.Intake;

/// <summary>The persisted duplicate window of one user's intake (bounded by <see cref="IntakeOptions"/>).</summary>
[GenerateSerializer, Alias("hymirec.click-intake-state.v1")]
public sealed class ClickIntakeState
{
    [Id(0)]
    public List<SeenEventId> Seen { get; set; } = [];
}

/// <summary>An event id the intake put into the click log, and when.</summary>
[GenerateSerializer, Immutable, Alias("hymirec.seen-event-id.v1")]
public sealed record SeenEventId(
    [property: Id(0)] string EventId,
    [property: Id(1)] DateTimeOffset RecordedAt);
