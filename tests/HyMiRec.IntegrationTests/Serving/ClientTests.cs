using HyMiRec.Client;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class ClientTests(ServingSiloFixture fixture) : IClassFixture<ServingSiloFixture>
{
    [Fact]
    public async Task ExternalClientAppendsAndReadsThroughTheGateway()
    {
        await using var connection = await ClientConnection.ConnectLocalhostAsync(fixture.Silo.GatewayPort);
        var client = connection.Client;
        var clicks = Clicks.For("erin", 5).Concat(Clicks.For("frank", 3)).ToArray();
        var appended = await client.AppendAsync(clicks);
        Assert.Equal(8, appended.Applied);

        Assert.Equal(5, (await client.GetHistoryAsync("erin")).Count);
        Assert.Equal(3, (await client.GetHistoryAsync("frank", limit: 2)).Count + 1);
        Assert.NotNull(await client.GetInterestsAsync("erin"));
        Assert.Equal(4, (await client.GetRecommendationsAsync("erin", k: 4)).Count);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetInterestsAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => client.AppendAsync([new ClickEvent(new string('x', 200), "1", Clicks.Start, "click", null)]));
    }
}
