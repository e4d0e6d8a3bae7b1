using System.Text;
using HyMiRec.Interfaces;
using HyMiRec.IntegrationTests.Kafka;
using HyMiRec.IntegrationTests.Serving;

namespace HyMiRec.IntegrationTests.Journal;

/// <summary>PostgreSQL going away mid-stream loses and doubles nothing: deliveries are retried until the journal is back.</summary>
public sealed class PostgresOutageTests
{
    private const int Users = 40;

    [PostgresFact]
    public async Task Clicks_produced_while_postgres_is_down_for_ten_seconds_arrive_once_when_it_is_back()
    {
        // A server of its own: this test stops it.
        using var postgres = new PostgresServer();
        await using var bed = KafkaTestBed.Start("outage", partitions: 4);
        var settings = bed.SiloSettings();
        settings["Storage:ConnectionString"] = postgres.CreateDatabase();
        settings["Users:RecomputeMode"] = "OnRead";
        await using var silo = await ServingSilo.StartAsync(settings);
        var sent = new Dictionary<string, int>();
        var round = 0;

        async Task ProduceRoundAsync()
        {
            var clicks = Enumerable.Range(0, Users).Select(u => new ClickEvent($"user-{u}", TestModel.Dataset.ItemIds[1 + (round % 20)], DateTimeOffset.UtcNow, "click", null)).ToArray();
            await bed.ProduceAsync(clicks.Select(c => ((string?)c.UserId, Encoding.UTF8.GetString(ClickEventCodec.Encode(c)))));
            foreach (var c in clicks)
            {
                sent[c.UserId] = sent.GetValueOrDefault(c.UserId) + 1;
            }

            round++;
        }

        await ProduceRoundAsync();
        await Eventually.TrueAsync(() => AllArrivedAsync(silo, sent), "the first round, before the outage");

        postgres.Stop();
        var down = DateTime.UtcNow;
        while (DateTime.UtcNow - down < TimeSpan.FromSeconds(10))
        {
            await ProduceRoundAsync();
            await Task.Delay(500);
        }

        postgres.Start();
        await ProduceRoundAsync();

        // Ingest resumes by itself (deliveries retry with backoff), and each click is in its history exactly once.
        await Eventually.TrueAsync(() => AllArrivedAsync(silo, sent), "every click after PostgreSQL is back", TimeSpan.FromSeconds(60));
        Assert.All(await Task.WhenAll(sent.Keys.Select(u => silo.Client.GetGrain<IUserGrain>(u).GetHistoryAsync(1000))), h => Assert.Equal(round, h.Count));
    }

    private static async Task<bool> AllArrivedAsync(ServingSilo silo, Dictionary<string, int> sent)
    {
        foreach (var (user, count) in sent)
        {
            try
            {
                if ((await silo.Client.GetGrain<IUserGrain>(user).GetHistoryAsync(1000)).Count < count)
                {
                    return false;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                // Reads fail too while the database is away.
                return false;
            }
        }

        return true;
    }
}
