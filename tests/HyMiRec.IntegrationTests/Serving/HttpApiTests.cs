using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class HttpApiTests(ServingSiloFixture fixture) : IClassFixture<ServingSiloFixture>, IDisposable
{
    private readonly HttpClient _http = fixture.Silo.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task HealthzAnswers()
    {
        var response = await _http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/users/%20/interests", "user id")]
    [InlineData("/v1/users/bob/history?limit=0", "limit")]
    [InlineData("/v1/users/bob/history?limit=abc", "limit")]
    [InlineData("/v1/users/bob/history?limit=100000000", "limit")]
    [InlineData("/v1/users/bob/recommendations?k=-3", "k")]
    [InlineData("/v1/users/bob/recommendations?k=100000", "k")]
    public async Task BadQueriesGet400WithAReason(string path, string reason)
    {
        var response = await _http.GetAsync(path);
        await AssertProblemAsync(response, reason);
    }

    [Fact]
    public async Task OverlongUserIdGets400()
    {
        var response = await _http.GetAsync($"/v1/users/{new string('u', 129)}/history");
        await AssertProblemAsync(response, "128");
    }

    [Theory]
    [InlineData("not json", "JSON array")]
    [InlineData("{}", "JSON array")]
    [InlineData("[]", "non-empty")]
    [InlineData("[{\"userId\":\"bob\",\"itemId\":\"i1\"}]", "timestamp")]
    [InlineData("[{\"userId\":\"\",\"itemId\":\"i1\",\"timestamp\":\"2026-01-01T00:00:00Z\"}]", "event 0: user id")]
    [InlineData("[{\"userId\":\"bob\",\"timestamp\":\"2026-01-01T00:00:00Z\"}]", "item id")]
    [InlineData("[{\"userId\":\"bob\",\"itemId\":\"i1\",\"timestamp\":\"yesterday\"}]", "JSON array")]
    [InlineData("[{\"userId\":\"bob\",\"itemId\":\"i1\",\"timestamp\":\"2126-01-01T00:00:00Z\"}]", "ahead of the silo's clock")]
    public async Task BadEventBodiesGet400AndNothingIsStored(string body, string reason)
    {
        var response = await _http.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, reason);
        var history = await _http.GetFromJsonAsync<JsonElement>("/v1/users/bob/history");
        Assert.Equal(0, history.GetArrayLength());
    }

    [Fact]
    public async Task PostedEventsShowInHistoryInterestsAndRecommendations()
    {
        var items = TestModel.Dataset.ItemIds;
        var events = Enumerable.Range(1, 6).Select(i => new { userId = "carol", itemId = items[i], timestamp = Clicks.Start.AddMinutes(i) })
            .Append(new { userId = "dave", itemId = items[20], timestamp = Clicks.Start })
            .ToArray();
        var post = await _http.PostAsJsonAsync("/v1/events", events);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var summary = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(2, summary.GetProperty("users").GetInt32());

        var history = await _http.GetFromJsonAsync<JsonElement>("/v1/users/carol/history?limit=4");
        Assert.Equal(4, history.GetArrayLength());
        Assert.Equal(items[6], history[0].GetProperty("itemId").GetString());
        Assert.Equal(Clicks.Start.AddMinutes(6), history[0].GetProperty("timestamp").GetDateTimeOffset());
        Assert.True(history[0].GetProperty("codes").GetArrayLength() > 0);
        Assert.Equal(history[0].GetProperty("codes").GetArrayLength(), history[0].GetProperty("magnitudes").GetArrayLength());

        var interests = await _http.GetFromJsonAsync<JsonElement>("/v1/users/carol/interests");
        Assert.Equal("carol", interests.GetProperty("userId").GetString());
        Assert.False(string.IsNullOrEmpty(interests.GetProperty("modelVersion").GetString()));
        var dimension = interests.GetProperty("dimension").GetInt32();
        Assert.Equal(0, interests.GetProperty("refined").GetArrayLength() % dimension);
        Assert.True(interests.GetProperty("refined").GetArrayLength() > 0);
        _ = interests.GetProperty("computedAt").GetDateTimeOffset();

        var recommendations = await _http.GetFromJsonAsync<JsonElement>("/v1/users/carol/recommendations?k=7");
        Assert.Equal(7, recommendations.GetArrayLength());
        var first = recommendations[0];
        Assert.Contains(first.GetProperty("itemId").GetString(), items);
        Assert.False(string.IsNullOrEmpty(first.GetProperty("text").GetString()));
        Assert.DoesNotContain(recommendations.EnumerateArray(), r => items.Skip(1).Take(6).Contains(r.GetProperty("itemId").GetString()));

        var nobody = await _http.GetAsync("/v1/users/nobody/interests");
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
