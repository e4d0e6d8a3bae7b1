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
        var batch = IntakeBatch.Plan(UserId, clicks, _window);
        if (batch.Fresh.Count == 0)
        {
            return new IntakeResult(batch.Statuses, batch.Ids, null);
        }

        // Kafka first, the window second: an id is remembered only once its click is durably in the log.
        var write = await log.AppendAsync(batch.Fresh);
        var remembered = false;
        foreach (var id in batch.Delivered(write.Delivered))
        {
            remembered |= _window.Record(id);
        }

        if (!write.AllDelivered)
        {
            GrainsLog.IntakeLogFailed(logger, UserId, write.Delivered.Count(d => d), batch.Fresh.Count, write.Failure ?? "not acknowledged");
        }

        if (remembered)
        {
            await StoreWindowAsync();
        }

        return new IntakeResult(batch.Statuses, batch.Ids, write.AllDelivered ? null : write.Failure ?? "the click log did not acknowledge every click");
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
