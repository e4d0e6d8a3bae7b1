using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyMiRec.Grains;
using HyMiRec.Grains.Intake;
using HyMiRec.Interfaces;
using HyMiRec.Training.Retraining;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>POST /v1/events with Kafka: HTTP -> intake grain -> click topic -> consumer -> user grain, with retries dropped.</summary>
public sealed class HttpIntakeTests(HttpIntakeFixture fixture) : IClassFixture<HttpIntakeFixture>, IDisposable
{
    private readonly HttpClient _http = fixture.Silo.CreateClient();

    public void Dispose() => _http.Dispose();

    private static string Item(int i) => TestModel.Dataset.ItemIds[i];

    [Fact]
    public async Task A_posted_click_is_accepted_into_the_topic_reaches_the_history_and_a_retrain_replay()
    {
        var post = await _http.PostAsJsonAsync("/v1/events", new[] { new { userId = "intake-a", itemId = Item(3), timestamp = Clicks.Start, eventId = "a-1" } });

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var body = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, body.GetProperty("users").GetInt32());
        Assert.Equal(["a-1:accepted"], Outcomes(body));

        await Eventually.TrueAsync(async () => (await HistoryAsync("intake-a")).Count == 1, "the posted click in intake-a's history");
        Assert.Equal(Item(3), (await HistoryAsync("intake-a"))[0].ItemId);

        var replayed = Assert.Single(Replay("intake-a"));
        Assert.Equal((Item(3), Clicks.Start, "a-1"), (replayed.ItemId, replayed.Timestamp, replayed.EventId));
    }

    [Fact]
    public async Task A_retry_with_the_same_event_ids_adds_nothing_and_is_reported_as_duplicate()
    {
        object Click(int item, string id) => new { userId = "intake-b", itemId = Item(item), timestamp = Clicks.Start.AddMinutes(item), eventId = id };
        var first = await PostAsync([Click(1, "b-1"), Click(2, "b-2")]);
        Assert.Equal(["b-1:accepted", "b-2:accepted"], Outcomes(first));

        var retry = await PostAsync([Click(1, "b-1"), Click(2, "b-2")]);
        Assert.Equal(0, retry.GetProperty("accepted").GetInt32());
        Assert.Equal(2, retry.GetProperty("duplicates").GetInt32());
        Assert.Equal(["b-1:duplicate", "b-2:duplicate"], Outcomes(retry));

        // Repeats inside one request count too; the new click is the marker that everything before it was consumed.
        var mixed = await PostAsync([Click(2, "b-2"), Click(4, "b-4"), Click(4, "b-4")]);
        Assert.Equal(["b-2:duplicate", "b-4:accepted", "b-4:duplicate"], Outcomes(mixed));

        await AssertOnlyOnceAsync("intake-b", [Item(1), Item(2), Item(4)]);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_adds_nothing_and_is_reported_as_duplicate()
    {
        object[] events = [
            new { userId = "intake-c", itemId = Item(5), timestamp = Clicks.Start },
            new { userId = "intake-c", itemId = Item(6), timestamp = Clicks.Start.AddMinutes(1) },
        ];
        var first = await PostAsync(events, key: "req-c-1");
        Assert.Equal(["req-c-1/0:accepted", "req-c-1/1:accepted"], Outcomes(first));
        var retry = await PostAsync(events, key: "req-c-1");
        Assert.Equal(["req-c-1/0:duplicate", "req-c-1/1:duplicate"], Outcomes(retry));

        var next = await PostAsync([new { userId = "intake-c", itemId = Item(7), timestamp = Clicks.Start.AddMinutes(2) }], key: "req-c-2");
        Assert.Equal(["req-c-2/0:accepted"], Outcomes(next));
        await AssertOnlyOnceAsync("intake-c", [Item(5), Item(6), Item(7)]);
    }

    [Fact]
    public async Task Clicks_without_ids_get_fresh_ones_and_the_window_is_in_grain_storage()
    {
        var body = await PostAsync([
            new { userId = "intake-d", itemId = Item(8), timestamp = Clicks.Start },
            new { userId = "intake-d", itemId = Item(9), timestamp = Clicks.Start, eventId = "d-1" },
        ]);
        var ids = body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()!).ToList();
        Assert.Equal(32, ids[0].Length);
        Assert.Equal("d-1", ids[1]);

        // Stored, not only in the activation: a restarted silo (or a new activation elsewhere) reads this back.
        var storage = fixture.Silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Intake);
        var state = new GrainState<ClickIntakeState>();
        await storage.ReadStateAsync("intake", fixture.Silo.Client.GetGrain<IClickIntakeGrain>("intake-d").GetGrainId(), state);
        Assert.True(state.RecordExists);
        Assert.Equal(["d-1"], state.State!.Seen.Select(s => s.EventId));
    }

    [Fact]
    public async Task A_bad_event_id_or_idempotency_key_gets_400()
    {
        var badId = await _http.PostAsJsonAsync("/v1/events", new[] { new { userId = "intake-e", itemId = Item(1), timestamp = Clicks.Start, eventId = "no spaces" } });
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("event 0: event id", await badId.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = JsonContent.Create(new[] { new { userId = "intake-e", itemId = Item(1), timestamp = Clicks.Start } }),
        };
        request.Headers.Add("Idempotency-Key", new string('k', EventIds.MaxKeyLength + 1));
        var badKey = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("Idempotency-Key", await badKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Replay("intake-e"));
    }

    private async Task<JsonElement> PostAsync(object[] events, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(events) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// Waits for the last click (the user's clicks share a partition, so all before it were consumed by then), then
    /// checks history and topic hold each click once.
    /// </summary>
    private async Task AssertOnlyOnceAsync(string user, string[] items)
    {
        await Eventually.TrueAsync(async () => (await HistoryAsync(user)).Any(h => h.ItemId == items[^1]), $"{user}'s last click in the history");
        Assert.Equal(items.Reverse(), (await HistoryAsync(user)).Select(h => h.ItemId));
        Assert.Equal(items, Replay(user).Select(c => c.ItemId));
    }

    private Task<IReadOnlyList<HistoryEntryView>> HistoryAsync(string user) => fixture.Silo.Client.GetGrain<IUserGrain>(user).GetHistoryAsync(100);

    /// <summary>The user's clicks as retraining sees them: the whole topic replayed with the trainer's code.</summary>
    private List<ReplayedClick> Replay(string user) =>
        ClickReplay.Read(new ReplaySource(fixture.Bed.Kafka.BootstrapServers, new Dictionary<string, string>(), null, null), fixture.Bed.ClickTopic)
            .Clicks.Where(c => c.UserId == user).OrderBy(c => c.Offset).ToList();

    private static List<string> Outcomes(JsonElement body) =>
        body.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("eventId").GetString()}:{e.GetProperty("status").GetString()}").ToList();
}
