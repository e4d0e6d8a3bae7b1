using HyMiRec.Events;
using HyMiRec.Grains.Journal;
using Orleans.Storage;

namespace HyMiRec.Grains.Users;

/// <summary>
/// Reads user state written before the journal existed (one <see cref="UserState"/> blob per user in the Orleans
/// grain storage "users") and moves it into the journal the first time the user is activated. Whether any such
/// state exists is asked once per silo, so a database without it costs nothing per activation.
/// </summary>
public sealed class LegacyUserStates(IGrainStorage? storage, Func<CancellationToken, Task<bool>> anyStored)
{
    /// <summary>The state name the grain used with <c>[PersistentState("user", "users")]</c>.</summary>
    public const string StateName = "user";

    private readonly Lazy<Task<bool>> _any = new(() => storage is null ? Task.FromResult(false) : anyStored(CancellationToken.None));

    /// <summary>A journal holding the user's legacy state, or null when there is none.</summary>
    public async Task<JournalRead?> ImportAsync(string userId, GrainId grainId, IUserJournal journal, CancellationToken cancellation)
    {
        if (storage is null || !await _any.Value.ConfigureAwait(false))
        {
            return null;
        }

        var state = new GrainState<UserState>(new UserState());
        await storage.ReadStateAsync(StateName, grainId, state).ConfigureAwait(false);
        if (!state.RecordExists || state.State is not { Count: > 0 } s)
        {
            return null;
        }

        var events = s.ExternalIds.Select((id, i) => new JournalEvent(id, s.TimestampsMs[i])).ToArray();
        var offsets = s.LastOffsets.Select(kv => new LogPosition(kv.Key, kv.Value)).ToArray();
        try
        {
            await journal.AppendAsync(userId, 0, events, offsets, cancellation).ConfigureAwait(false);
        }
        catch (JournalConflictException)
        {
            // Another activation imported it first; what it wrote is read below.
        }

        await storage.ClearStateAsync(StateName, grainId, state).ConfigureAwait(false);
        return await journal.ReadAsync(userId, cancellation).ConfigureAwait(false);
    }

    /// <summary>Removes the user's legacy state, if any (user deletion).</summary>
    public async Task ClearAsync(GrainId grainId)
    {
        if (storage is null || !await _any.Value.ConfigureAwait(false))
        {
            return;
        }

        var state = new GrainState<UserState>(new UserState());
        await storage.ReadStateAsync(StateName, grainId, state).ConfigureAwait(false);
        if (state.RecordExists)
        {
            await storage.ClearStateAsync(StateName, grainId, state).ConfigureAwait(false);
        }
    }
}
