using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyMiRec.Grains.Inference;
using HyMiRec.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class HealthEndpointTests(ServingSiloFixture fixture) : IClassFixture<ServingSiloFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Silo.BaseAddress };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task LiveAnswersWhileTheProcessRuns()
    {
        var response = await _http.GetAsync(HealthExtensions.LivePath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReadyNamesTheLoadedModelOnceTheSiloIsActive()
    {
        var response = await _http.GetAsync(HealthExtensions.ReadyPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var silo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("silo");
        Assert.Equal("Healthy", silo.GetProperty("status").GetString());
        var loaded = fixture.Silo.Services.GetRequiredService<InterestModelHost>().Info.ModelVersion;
        Assert.Contains(loaded, silo.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
