using System.Runtime.InteropServices;
using HyMiRec.Interfaces;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// A user's last computed interests, kept beside the journal so that a new activation serves reads at once instead of
/// running the model first. They are a cache of a pure function of history and model: an activation uses them only if
/// the same model computed them, and a snapshot lost in a crash costs one recompute, never data.
/// </summary>
public interface IInterestSnapshots
{
    /// <summary>The user's snapshot, or null when none is stored.</summary>
    Task<InterestSnapshot?> ReadAsync(string userId, CancellationToken cancellation = default);

    /// <summary>
    /// Stores <paramref name="snapshot"/> unless the stored one, from the same model, covers more events (a second
    /// activation during a failover must not roll a newer snapshot back).
    /// </summary>
    Task WriteAsync(string userId, InterestSnapshot snapshot, CancellationToken cancellation = default);

    Task DeleteAsync(string userId, CancellationToken cancellation = default);
}

/// <summary>Interests as computed by <see cref="InterestsResult.ModelVersion"/> over the first <paramref name="EventsSeen"/> events.</summary>
public sealed record InterestSnapshot(InterestsResult Interests, long EventsSeen, DateTimeOffset ComputedAt)
{
    /// <summary>Whether this snapshot should replace <paramref name="stored"/>.</summary>
    public bool Supersedes(InterestSnapshot? stored) =>
        stored is null || EventsSeen >= stored.EventsSeen || !string.Equals(Interests.ModelVersion, stored.Interests.ModelVersion, StringComparison.Ordinal);

    /// <summary>
    /// Whether an activation whose history holds <paramref name="historyVersion"/> events may serve this snapshot:
    /// only interests of the served model over events the history still has (a larger count is a snapshot of a
    /// history since deleted and rebuilt).
    /// </summary>
    public SnapshotFit FitFor(long historyVersion, string servedModel) =>
        EventsSeen == 0 || EventsSeen > historyVersion || !string.Equals(Interests.ModelVersion, servedModel, StringComparison.Ordinal)
            ? SnapshotFit.Unusable
            : EventsSeen == historyVersion ? SnapshotFit.Current : SnapshotFit.Behind;

    /// <summary>Little-endian IEEE floats, as stored.</summary>
    public static byte[] Pack(float[] values)
    {
        EnsureLittleEndian();
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    public static float[] Unpack(byte[] bytes)
    {
        EnsureLittleEndian();
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"a stored interest vector of {bytes.Length} bytes is not whole floats");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("interest snapshots are stored little-endian");
        }
    }
}

/// <summary>What a stored snapshot is worth to a new activation.</summary>
public enum SnapshotFit
{
    Unusable,

    /// <summary>Covers every event of the history.</summary>
    Current,

    /// <summary>Misses the newest events: served, and one background pass catches up.</summary>
    Behind,
}
