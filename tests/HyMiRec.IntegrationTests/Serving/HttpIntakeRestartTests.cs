using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyMiRec.Interfaces;
using HyMiRec.IntegrationTests.Kafka;
using HyMiRec.Training.Retraining;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>The intake's duplicate window lives in grain storage (PostgreSQL here), not only in the activation.</summary>
public sealed class HttpIntakeRestartTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [PostgresFact]
    public async Task A_retry_after_a_silo_restart_is_still_a_duplicate()
    {
        await using var bed = KafkaTestBed.Start("intake-restart", partitions: 1);
        var settings = bed.SiloSettings();
        settings["Storage:ConnectionString"] = postgres.CreateDatabase();
        object[] first = [new { userId = "restart", itemId = TestModel.Dataset.ItemIds[1], timestamp = Clicks.Start, eventId = "r-1" }];
        object[] marker = [new { userId = "restart", itemId = TestModel.Dataset.ItemIds[2], timestamp = Clicks.Start.AddMinutes(1), eventId = "r-2" }];

        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            using var http = silo.CreateClient();
            Assert.Equal("accepted", await PostAsync(http, first));
        }

        await using (var silo = await ServingSilo.StartAsync(settings))
        {
            using var http = silo.CreateClient();
            Assert.Equal("duplicate", await PostAsync(http, first));
            Assert.Equal("accepted", await PostAsync(http, marker));

            var user = silo.Client.GetGrain<IUserGrain>("restart");
            await Eventually.TrueAsync(async () => (await user.GetHistoryAsync(10)).Any(h => h.ItemId == TestModel.Dataset.ItemIds[2]), "the marker click in the history");
            Assert.Equal(2, (await user.GetHistoryAsync(10)).Count);
        }

        var replay = ClickReplay.Read(new ReplaySource(bed.Kafka.BootstrapServers, new Dictionary<string, string>(), null, null), bed.ClickTopic);
        Assert.Equal(["r-1", "r-2"], replay.Clicks.Where(c => c.UserId == "restart").Select(c => c.EventId));
    }

    /// <summary>The status of the one posted event.</summary>
    private static async Task<string?> PostAsync(HttpClient http, object[] events)
    {
        var response = await http.PostAsJsonAsync("/v1/events", events);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("events")[0].GetProperty("status").GetString();
    }
}
