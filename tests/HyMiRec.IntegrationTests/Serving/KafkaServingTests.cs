using System.Text;
using HyMiRec.Interfaces;
using HyMiRec.IntegrationTests.Kafka;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class KafkaServingTests
{
    [Fact]
    public async Task ClicksProducedToKafkaReachUserHistoriesOnce()
    {
        await using var bed = KafkaTestBed.Start("serving", partitions: 2);
        await using var silo = await ServingSilo.StartAsync(bed.SiloSettings());
        var clicks = Clicks.For("kafka-user", 5).Concat(Clicks.For("kafka-other", 3)).ToArray();
        await bed.ProduceAsync(clicks.Select(c => ((string?)c.UserId, Encoding.UTF8.GetString(ClickEventCodec.Encode(c)))));

        var user = silo.Client.GetGrain<IUserGrain>("kafka-user");
        await Eventually.TrueAsync(async () => (await user.GetHistoryAsync(100)).Count == 5, "five clicks from Kafka in the history");
        await Eventually.TrueAsync(async () => (await silo.Client.GetGrain<IUserGrain>("kafka-other").GetHistoryAsync(100)).Count == 3, "three clicks for the other user");
        Assert.Equal(clicks[..5].Reverse().Select(c => c.ItemId), (await user.GetHistoryAsync(100)).Select(h => h.ItemId));
        Assert.NotNull(await user.GetInterestsAsync());
    }
}
