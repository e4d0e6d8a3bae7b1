using HyMiRec.Events;

namespace HyMiRec.Interfaces;

/// <summary>
/// The click log (the Kafka click topic) as the HTTP intake writes to it. Registered only when the silo reads its
/// clicks from Kafka; without it the API writes straight to the user grains.
/// </summary>
public interface IClickLog
{
    /// <summary>
    /// Appends <paramref name="clicks"/> (keyed by user id, in order) and completes once every one is acknowledged or
    /// has failed; never throws for a broker problem, it reports which clicks are durably in the log.
    /// </summary>
    Task<ClickLogWrite> AppendAsync(IReadOnlyList<ClickEvent> clicks);
}

/// <summary>Per click whether the log acknowledged it; <see cref="Failure"/> says why the others were not.</summary>
public sealed record ClickLogWrite(IReadOnlyList<bool> Delivered, string? Failure)
{
    public bool AllDelivered => Failure is null && Delivered.All(d => d);
}
