using HyMiRec.Events;
using HyMiRec.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.Grains.Intake;

/// <summary>
/// One user's HTTP clicks on their way into the click log. Orleans keeps one activation per user and runs its calls
/// one at a time, so "seen already?", "append to Kafka" and "remember the id" happen as one step for the whole
/// cluster: two silos receiving the same retry cannot both let it through. The window is stored through grain
/// storage before the call returns, so a restart does not reopen it.
/// </summary>
public sealed class ClickIntakeGrain(
    [PersistentState("intake", StorageNames.Intake)] IPersistentState<ClickIntakeState> state,
    IClickLog log,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<ClickIntakeGrain> logger) : Grain, IClickIntakeGrain
{
    private IntakeWindow _window = null!;

    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _window = new IntakeWindow(options.Value.Window, options.Value.MaxIdsPerUser, clock, state.State.Seen);
        return Task.CompletedTask;
    }

    public async Task<IntakeResult> SubmitAsync(IReadOnlyList<ClickEvent> clicks)
    {
        var statuses = new IntakeStatus[clicks.Count];
        var ids = new string[clicks.Count];
        var fresh = new List<ClickEvent>(clicks.Count);
        var freshIndex = new List<int>(clicks.Count);
        var inThisCall = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clicks.Count; i++)
        {
            var click = clicks[i];
            if (click.UserId != UserId)
            {
                throw new ArgumentException($"click {i} is for user '{click.UserId}', not '{UserId}'", nameof(clicks));
            }

            if (click.EventId is { } id && EventIds.Problem(id) is { } problem)
            {
                throw new ArgumentException($"click {i}: {problem}", nameof(clicks));
            }

            ids[i] = click.EventId ?? Guid.NewGuid().ToString("N");
            if (click.EventId is not null && (_window.Contains(ids[i]) || !inThisCall.Add(ids[i])))
            {
                statuses[i] = IntakeStatus.Duplicate;
                continue;
            }

            fresh.Add(click with { EventId = ids[i] });
            freshIndex.Add(i);
        }

        if (fresh.Count == 0)
        {
            return new IntakeResult(statuses, ids, null);
        }

        // Kafka first, the window second: an id is remembered only once its click is durably in the log.
        var write = await log.AppendAsync(fresh);
        var remembered = false;
        for (var j = 0; j < fresh.Count; j++)
        {
            var delivered = write.Delivered[j];
            statuses[freshIndex[j]] = delivered ? IntakeStatus.Accepted : IntakeStatus.Failed;
            // Delivered clicks of a partly failed call are remembered too, so the client's retry adds only the rest.
            if (delivered && clicks[freshIndex[j]].EventId is not null)
            {
                remembered |= _window.Record(fresh[j].EventId!);
            }
        }

        if (!write.AllDelivered)
        {
            GrainsLog.IntakeLogFailed(logger, UserId, write.Delivered.Count(d => d), fresh.Count, write.Failure ?? "not acknowledged");
        }

        if (remembered)
        {
            await StoreWindowAsync();
        }

        return new IntakeResult(statuses, ids, write.AllDelivered ? null : write.Failure ?? "the click log did not acknowledge every click");
    }

    private async Task StoreWindowAsync()
    {
        state.State.Seen = _window.Snapshot();
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The clicks are in the log already, so the request succeeded; only a repeat after this activation ends
            // could slip through, and the next successful write stores the window again.
            GrainsLog.IntakeWindowNotStored(logger, e, UserId);
        }
    }
}
