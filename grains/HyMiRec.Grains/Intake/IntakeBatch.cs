using HyMiRec.Events;
using HyMiRec.Interfaces;

namespace HyMiRec.Grains.Intake;

/// <summary>
/// The decisions of one <see cref="ClickIntakeGrain"/> call, apart from the grain so tests check them without a silo:
/// which clicks are refused (another user's, a malformed id), which are repeats (an id in the window, or one given
/// twice in the call) and which go to the click log; then, from the log's answer, each click's status and the ids the
/// window remembers. Plain and single-use.
/// </summary>
public sealed class IntakeBatch
{
    private readonly IReadOnlyList<ClickEvent> _clicks;
    private readonly List<int> _freshIndex;
    private readonly List<ClickEvent> _fresh;

    private IntakeBatch(IReadOnlyList<ClickEvent> clicks)
    {
        _clicks = clicks;
        Statuses = new IntakeStatus[clicks.Count];
        Ids = new string[clicks.Count];
        _fresh = new List<ClickEvent>(clicks.Count);
        _freshIndex = new List<int>(clicks.Count);
    }

    /// <summary>Per click, in call order: <see cref="IntakeStatus.Duplicate"/> now; the others once <see cref="Delivered"/> is known.</summary>
    public IntakeStatus[] Statuses { get; }

    /// <summary>Per click, in call order: its event id, the client's or a new one.</summary>
    public string[] Ids { get; }

    /// <summary>The clicks to append to the log, each with its event id.</summary>
    public IReadOnlyList<ClickEvent> Fresh => _fresh;

    /// <summary>Sorts <paramref name="clicks"/> for <paramref name="userId"/>; throws <see cref="ArgumentException"/> for a click refused for good.</summary>
    public static IntakeBatch Plan(string userId, IReadOnlyList<ClickEvent> clicks, IntakeWindow window, Func<string>? newId = null)
    {
        newId ??= static () => Guid.NewGuid().ToString("N");
        var batch = new IntakeBatch(clicks);
        var inThisCall = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clicks.Count; i++)
        {
            var click = clicks[i];
            if (click.UserId != userId)
            {
                throw new ArgumentException($"click {i} is for user '{click.UserId}', not '{userId}'", nameof(clicks));
            }

            if (click.EventId is { } id && EventIds.Problem(id) is { } problem)
            {
                throw new ArgumentException($"click {i}: {problem}", nameof(clicks));
            }

            batch.Ids[i] = click.EventId ?? newId();
            if (click.EventId is not null && (window.Contains(batch.Ids[i]) || !inThisCall.Add(batch.Ids[i])))
            {
                batch.Statuses[i] = IntakeStatus.Duplicate;
                continue;
            }

            batch._fresh.Add(click with { EventId = batch.Ids[i] });
            batch._freshIndex.Add(i);
        }

        return batch;
    }

    /// <summary>
    /// Takes the log's answer for <see cref="Fresh"/> (one flag per click) and returns the ids to remember: those of
    /// delivered clicks that came with the client's own id (delivered clicks of a partly failed call too, so the
    /// client's retry adds only the rest). A generated id is never remembered: no retry can carry it.
    /// </summary>
    public IReadOnlyList<string> Delivered(IReadOnlyList<bool> delivered)
    {
        var remember = new List<string>(_fresh.Count);
        for (var j = 0; j < _fresh.Count; j++)
        {
            Statuses[_freshIndex[j]] = delivered[j] ? IntakeStatus.Accepted : IntakeStatus.Failed;
            if (delivered[j] && _clicks[_freshIndex[j]].EventId is not null)
            {
                remember.Add(_fresh[j].EventId!);
            }
        }

        return remember;
    }
}
