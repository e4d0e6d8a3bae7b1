namespace HyMiRec.Interfaces;

/// <summary>
/// What became of each submitted click, in submission order, and the event id it travels under (the client's, or
/// one the intake made up). <see cref="Failure"/> is set when the log did not take every new click.
/// </summary>
[GenerateSerializer, Immutable, Alias("hymirec.intake-result.v1")]
public sealed record IntakeResult(
    [property: Id(0)] IReadOnlyList<IntakeStatus> Statuses,
    [property: Id(1)] IReadOnlyList<string> EventIds,
    [property: Id(2)] string? Failure)
{
    public int Accepted => Statuses.Count(s => s == IntakeStatus.Accepted);

    public int Duplicates => Statuses.Count(s => s == IntakeStatus.Duplicate);
}

public enum IntakeStatus
{
    /// <summary>In the click log now.</summary>
    Accepted,

    /// <summary>Its event id was in the window: dropped, the earlier copy stands.</summary>
    Duplicate,

    /// <summary>The log did not acknowledge it; nothing was remembered, a retry with the same id is safe.</summary>
    Failed,
}
