using System.Collections.Concurrent;

namespace HyMiRec.Grains.Journal;

/// <summary>Interest snapshots of a silo without a database, in this process's memory, beside <see cref="MemoryUserJournal"/>.</summary>
public sealed class MemoryInterestSnapshots : IInterestSnapshots
{
    private readonly ConcurrentDictionary<string, InterestSnapshot> _users = new(StringComparer.Ordinal);

    public Task<InterestSnapshot?> ReadAsync(string userId, CancellationToken cancellation = default) =>
        Task.FromResult(_users.TryGetValue(userId, out var snapshot) ? snapshot : null);

    public Task WriteAsync(string userId, InterestSnapshot snapshot, CancellationToken cancellation = default)
    {
        _users.AddOrUpdate(userId, snapshot, (_, stored) => snapshot.Supersedes(stored) ? snapshot : stored);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string userId, CancellationToken cancellation = default)
    {
        _users.TryRemove(userId, out _);
        return Task.CompletedTask;
    }
}
