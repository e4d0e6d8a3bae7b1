using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyMiRec.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>When the click log does not acknowledge: 503 with Retry-After, and only what Kafka took is remembered.</summary>
public sealed class HttpIntakeFailureTests
{
    [Fact]
    public async Task Unacknowledged_clicks_get_503_with_retry_after_and_a_retry_with_the_same_ids_adds_only_those()
    {
        var log = new FlakyClickLog();
        await using var silo = await ServingSilo.StartAsync(
            new Dictionary<string, string> { ["Intake:RetryAfterSeconds"] = "7" },
            configureSilo: s => s.Services.AddSingleton<IClickLog>(log));
        using var http = silo.CreateClient();
        var events = new[]
        {
            new { userId = "flaky", itemId = TestModel.Dataset.ItemIds[1], timestamp = Clicks.Start, eventId = "f-1" },
            new { userId = "flaky", itemId = TestModel.Dataset.ItemIds[2], timestamp = Clicks.Start, eventId = "f-2" },
        };

        log.Refuse = "f-2";
        var refused = await http.PostAsJsonAsync("/v1/events", events);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("broker down", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        log.Refuse = null;
        var retry = await http.PostAsJsonAsync("/v1/events", events);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var body = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(["f-1", "f-2"], log.Delivered.Select(c => c.EventId));
        // With an IClickLog the user grains are written only by the log's consumer, never by the endpoint.
        Assert.Empty(await silo.Client.GetGrain<IUserGrain>("flaky").GetHistoryAsync(10));
    }

    /// <summary>A click log that refuses one event id on demand and records what it took.</summary>
    private sealed class FlakyClickLog : IClickLog
    {
        public volatile string? Refuse;

        public List<ClickEvent> Delivered { get; } = [];

        public Task<ClickLogWrite> AppendAsync(IReadOnlyList<ClickEvent> clicks)
        {
            var refuse = Refuse;
            var delivered = clicks.Select(c => c.EventId != refuse).ToArray();
            lock (Delivered)
            {
                Delivered.AddRange(clicks.Where(c => c.EventId != refuse));
            }

            return Task.FromResult(new ClickLogWrite(delivered, delivered.All(d => d) ? null : "broker down"));
        }
    }
}
