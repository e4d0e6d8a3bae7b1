using HyMiRec.Grains.Journal;
using HyMiRec.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class RefusedClickTests
{
    /// <summary>
    /// A click the grain refuses for good (here the journal rejects its data) goes to the dead-letter place with
    /// its reason, and the clicks delivered in the same batch are applied; a delivery that fails for an outage is
    /// retried instead (DeliveryRetryTests, FailedWriteTests).
    /// </summary>
    [Fact]
    public async Task A_refused_click_is_dead_lettered_and_the_rest_of_its_batch_applied()
    {
        var letters = new RecordedDeadLetters();
        await using var silo = await ServingSilo.StartAsync(configureSilo: s =>
        {
            s.Services.AddSingleton<IUserJournal>(new RefusingJournal("poison-item"));
            s.Services.AddSingleton<IClickDeadLetters>(letters);
        });
        var stream = silo.Client.GetStreamProvider(StreamNames.ClickProvider).GetStream<ClickEvent>(StreamId.Create(StreamNames.ClickNamespace, "mixed"));
        var clicks = Clicks.For("mixed", 3, partition: 0, firstOffset: 10);
        clicks[1] = clicks[1] with { ItemId = "poison-item" };

        await stream.OnNextBatchAsync(clicks);

        var user = silo.Client.GetGrain<IUserGrain>("mixed");
        await Eventually.TrueAsync(async () => (await user.GetHistoryAsync(10)).Count == 2, "the two good clicks");
        var (click, reason) = Assert.Single(letters.Refused);
        Assert.Equal(new LogPosition(0, 11), click.Source);
        Assert.Contains("poison-item", reason, StringComparison.Ordinal);
        Assert.Equal([clicks[2].ItemId, clicks[0].ItemId], (await user.GetHistoryAsync(10)).Select(h => h.ItemId));
    }

    private sealed class RefusingJournal(string refusedItem) : IUserJournal
    {
        private readonly MemoryUserJournal _inner = new();

        public Task<JournalRead> ReadAsync(string userId, CancellationToken cancellation = default) => _inner.ReadAsync(userId, cancellation);

        public Task<JournalHead> ReadHeadAsync(string userId, CancellationToken cancellation = default) => _inner.ReadHeadAsync(userId, cancellation);

        public Task AppendAsync(string userId, long expectedVersion, IReadOnlyList<JournalEvent> events, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default) =>
            events.Any(e => e.ItemId == refusedItem)
                ? throw new ArgumentException($"item '{refusedItem}' cannot be stored", nameof(events))
                : _inner.AppendAsync(userId, expectedVersion, events, offsets, cancellation);

        public Task CompactAsync(string userId, long version, IReadOnlyList<JournalEvent> kept, IReadOnlyList<LogPosition> offsets, CancellationToken cancellation = default) =>
            _inner.CompactAsync(userId, version, kept, offsets, cancellation);

        public Task DeleteAsync(string userId, CancellationToken cancellation = default) => _inner.DeleteAsync(userId, cancellation);
    }

    private sealed class RecordedDeadLetters : IClickDeadLetters
    {
        private readonly List<(ClickEvent Click, string Reason)> _refused = [];

        public IReadOnlyList<(ClickEvent Click, string Reason)> Refused
        {
            get
            {
                lock (_refused)
                {
                    return [.. _refused];
                }
            }
        }

        public Task RefuseAsync(ClickEvent click, string reason, CancellationToken cancellation = default)
        {
            lock (_refused)
            {
                _refused.Add((click, reason));
            }

            return Task.CompletedTask;
        }
    }
}
