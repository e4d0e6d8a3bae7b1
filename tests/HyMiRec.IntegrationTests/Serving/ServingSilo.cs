using HyMiRec.Interfaces;
using HyMiRec.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>A real silo + HTTP host (the production wiring, authentication on) on free ports, with memory click streams.</summary>
internal sealed class ServingSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServingSilo(WebApplication app, Uri baseAddress, int siloPort, int gatewayPort)
    {
        _app = app;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public Uri BaseAddress { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public IClusterClient Client => _app.Services.GetRequiredService<IClusterClient>();

    public IServiceProvider Services => _app.Services;

    public static async Task<ServingSilo> StartAsync(IDictionary<string, string>? settings = null, int primarySiloPort = 0, Action<ISiloBuilder>? configureSilo = null)
    {
        var ports = FreePorts.Take(3);
        var values = new Dictionary<string, string>(TestTokens.Settings())
        {
            ["urls"] = $"http://127.0.0.1:{ports[0]}",
            ["Cluster:SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:PrimarySiloPort"] = (primarySiloPort == 0 ? ports[1] : primarySiloPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Model:ArtifactDirectory"] = TestModel.Directory,
            ["Model:RegistryPollSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Users:RecomputeMode"] = "EveryEvent",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        var args = values.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var kafka = values.TryGetValue("Kafka:Enabled", out var enabled) && bool.Parse(enabled);
        var app = ServingApp.Build(args, silo =>
        {
            if (!kafka)
            {
                silo.AddMemoryStreams(StreamNames.ClickProvider);
            }

            configureSilo?.Invoke(silo);
        });
        await app.StartAsync();
        return new ServingSilo(app, new Uri($"http://127.0.0.1:{ports[0]}"), ports[1], ports[2]);
    }

    /// <summary>A client of the HTTP API holding a token with <paramref name="scopes"/>; null = no token.</summary>
    public HttpClient CreateClient(string? scopes = TestTokens.AllScopes)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (scopes is not null)
        {
            http.DefaultRequestHeaders.Authorization = TestTokens.Bearer(scopes);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
