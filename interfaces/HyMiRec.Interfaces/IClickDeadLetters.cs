using HyMiRec.Events;

namespace HyMiRec.Interfaces;

/// <summary>
/// Where a click that its user grain refuses for good (not an outage) goes with its reason, so it never blocks its
/// partition and never silently vanishes. The Kafka provider writes it to the dead-letter topic.
/// </summary>
public interface IClickDeadLetters
{
    /// <summary>Completes once the click is recorded; throws when it could not be (the delivery is then retried).</summary>
    Task RefuseAsync(ClickEvent click, string reason, CancellationToken cancellation = default);
}
