using HyMiRec.Grains.Journal;
using HyMiRec.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class FailedWriteTests
{
    /// <summary>
    /// A click whose journal append failed must be applied when it is delivered again (the stream retries it, or
    /// Kafka replays it), not taken for a duplicate of itself and then lost with the activation.
    /// </summary>
    [Fact]
    public async Task AClickWhoseWriteFailedIsAppliedWhenDeliveredAgain()
    {
        var journal = new FlakyJournal();
        await using var silo = await ServingSilo.StartAsync(configureSilo: s => s.Services.AddSingleton<IUserJournal>(journal));
        var user = silo.Client.GetGrain<IUserGrain>("flaky");
        var clicks = Clicks.For("flaky", 2, partition: 0, firstOffset: 40);
        Assert.Equal(1, (await user.AppendAsync(clicks[..1])).Applied);

        journal.FailNextAppends(1);
        await Assert.ThrowsAnyAsync<Exception>(() => user.AppendAsync(clicks[1..]));
        var retried = await user.AppendAsync(clicks[1..]);
        Assert.Equal((1, 0), (retried.Applied, retried.Duplicates));

        // What a fresh activation (another silo, after a crash) reads back holds both clicks once.
        await silo.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(clicks.Reverse().Select(c => c.Timestamp), (await user.GetHistoryAsync(10)).Select(h => h.Timestamp));
    }
}
