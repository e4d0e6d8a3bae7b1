using HyMiRec.Events;

namespace HyMiRec.Grains.Journal;

/// <summary>
/// Durable, append-only click history per user. Every write is conditional on the version (events ever appended)
/// the writer last saw, so a second activation of the same user during a failover cannot interleave its writes:
/// the loser gets a <see cref="JournalConflictException"/> and must re-read.
/// </summary>
public interface IUserJournal
{
    /// <summary>Every stored event, oldest first, with the per-partition Kafka offsets applied so far.</summary>
    Task<JournalRead> ReadAsync(string userId, CancellationToken cancellation = default);

    /// <summary>What appending needs (version, offsets, row and event counts) without reading the events.</summary>
    Task<JournalHead> ReadHeadAsync(string userId, CancellationToken cancellation = default);

    /// <summary>Appends <paramref name="events"/> after <paramref name="expectedVersion"/>; completes once durable.</summary>
    Task AppendAsync(string userId, long expectedVersion, IReadOnlyList<JournalEvent> events, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default);

    /// <summary>
    /// Replaces every stored row of the user by one holding <paramref name="kept"/> (the newest events; older ones
    /// are pruned) and <paramref name="offsets"/>, conditional on <paramref name="version"/>. The version stays.
    /// </summary>
    Task CompactAsync(string userId, long version, IReadOnlyList<JournalEvent> kept, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default);

    /// <summary>Removes every stored trace of the user.</summary>
    Task DeleteAsync(string userId, CancellationToken cancellation = default);
}

/// <summary>One stored click: the external item id and the event time in Unix milliseconds.</summary>
public readonly record struct JournalEvent(string ItemId, long TimestampMs);

/// <summary>
/// What a user's journal holds. <see cref="Version"/> counts every event ever appended (pruned ones included), so
/// the first stored event has sequence number Version - Events.Count. <see cref="Rows"/> is the stored row count.
/// </summary>
public sealed record JournalRead(IReadOnlyList<JournalEvent> Events, IReadOnlyList<LogPosition> Offsets, long Version, int Rows)
{
    public static readonly JournalRead Empty = new([], [], 0, 0);
}

/// <summary>A user's journal without its events: enough to deduplicate and append, whatever the history's length.</summary>
public sealed record JournalHead(IReadOnlyList<LogPosition> Offsets, long Version, int Rows, long StoredEvents)
{
    public static readonly JournalHead Empty = new([], 0, 0, 0);
}

/// <summary>Another writer appended to this user's journal since the version the caller saw.</summary>
public sealed class JournalConflictException(string userId, long expectedVersion)
    : Exception($"user '{userId}': the journal moved past version {expectedVersion} (another activation wrote to it)")
{
    public string UserId { get; } = userId;

    public long ExpectedVersion { get; } = expectedVersion;
}
