using HyMiRec.Grains.Journal;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>The in-memory journal whose next <see cref="FailNextAppends"/> appends throw, as a database outage would.</summary>
internal sealed class FlakyJournal : IUserJournal
{
    private readonly MemoryUserJournal _inner = new();
    private int _failNextAppends;

    public void FailNextAppends(int count) => Interlocked.Exchange(ref _failNextAppends, count);

    public Task<JournalRead> ReadAsync(string userId, CancellationToken cancellation = default) => _inner.ReadAsync(userId, cancellation);

    public Task<JournalHead> ReadHeadAsync(string userId, CancellationToken cancellation = default) => _inner.ReadHeadAsync(userId, cancellation);

    public Task AppendAsync(string userId, long expectedVersion, IReadOnlyList<JournalEvent> events, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default) =>
        Interlocked.Decrement(ref _failNextAppends) >= 0
            ? throw new IOException($"injected append failure for {userId}")
            : _inner.AppendAsync(userId, expectedVersion, events, offsets, cancellation);

    public Task CompactAsync(string userId, long version, IReadOnlyList<JournalEvent> kept, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default) =>
        _inner.CompactAsync(userId, version, kept, offsets, cancellation);

    public Task DeleteAsync(string userId, CancellationToken cancellation = default) => _inner.DeleteAsync(userId, cancellation);
}
