using System.Net;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class DashboardTests
{
    [Fact]
    public async Task DashboardIsServedOnTheApiPortWhenEnabled()
    {
        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Dashboard:Enabled"] = "true" });
        using var http = silo.CreateClient();
        // /dashboard redirects to /dashboard/, and HttpClient does not send the token on to a redirect.
        var page = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardIsAbsentByDefault()
    {
        await using var silo = await ServingSilo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dashboard")).StatusCode);
    }
}
