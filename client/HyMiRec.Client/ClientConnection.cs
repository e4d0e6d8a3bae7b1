using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyMiRec.Client;

/// <summary>An Orleans client host connected to a cluster's gateway; dispose to disconnect.</summary>
public sealed class ClientConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClientConnection(IHost host)
    {
        _host = host;
        Client = new HyMiRecClient(host.Services.GetRequiredService<IClusterClient>());
    }

    public HyMiRecClient Client { get; }

    /// <summary>Connects to silos using localhost clustering (the silo's default) on <paramref name="gatewayPort"/>.</summary>
    public static async Task<ClientConnection> ConnectLocalhostAsync(
        int gatewayPort = 30000, string clusterId = "hymirec", string serviceId = "hymirec", CancellationToken cancellation = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId, clusterId));
        var host = builder.Build();
        await host.StartAsync(cancellation).ConfigureAwait(false);
        return new ClientConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
