using HyMiRec.Events;

namespace HyMiRec.Interfaces;

/// <summary>
/// The HTTP entry of one user's clicks into the click log (key = user id). One activation per user in the cluster
/// makes it the single place that decides whether an event id was seen already (docs/events.md, "HTTP intake").
/// </summary>
public interface IClickIntakeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Drops clicks whose <see cref="ClickEvent.EventId"/> is in the user's window (or repeats one earlier in the same
    /// call), appends the rest to the click log and only then remembers their ids. A click without an id gets a new
    /// unique one, which is not remembered (no one can repeat it by accident).
    /// </summary>
    Task<IntakeResult> SubmitAsync(IReadOnlyList<ClickEvent> clicks);
}
