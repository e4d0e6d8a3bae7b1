using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

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

    /// <summary>The underlying Orleans client, for grains <see cref="HyMiRecClient"/> does not wrap.</summary>
    public IClusterClient ClusterClient => _host.Services.GetRequiredService<IClusterClient>();

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

    /// <summary>
    /// Connects to silos that keep membership in PostgreSQL (Cluster:Mode AdoNet): the gateways are read from the
    /// membership table in <paramref name="connectionString"/>.
    /// </summary>
    public static async Task<ClientConnection> ConnectAdoNetAsync(
        string connectionString, string clusterId = "hymirec", string serviceId = "hymirec", CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString));
        });
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
