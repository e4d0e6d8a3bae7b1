using System.Net;
using HyMiRec.Grains;
using HyMiRec.Grains.Hosting;
using HyMiRec.Grains.Journal;
using HyMiRec.Grains.Users;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.Dashboard;

namespace HyMiRec.Hosting;

/// <summary>The Orleans side of the host: options, storage, clustering and the model services.</summary>
public static class SiloExtensions
{
    public static WebApplicationBuilder AddHyMiRecSilo(this WebApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.AddOptions<HyMiRecClusterOptions>().BindConfiguration(HyMiRecClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HyMiRecClusterOptions>, ClusterOptionsValidator>());
        services.AddOptions<HyMiRecDashboardOptions>().BindConfiguration(HyMiRecDashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Failure detection (ProbeTimeout, NumMissedProbesLimit, NumVotesForDeathDeclaration, ...) keeps Orleans'
        // defaults unless "Cluster:Membership" sets them, e.g. a fault test that wants a dead silo declared quickly.
        // Orleans checks its own options when the silo starts.
        services.AddOptions<ClusterMembershipOptions>().BindConfiguration(HyMiRecClusterOptions.MembershipSection);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StorageStartup>();

        var postgres = StorageOptions.UsesPostgres(configuration);
        services.AddHyMiRecJournal(postgres);
        builder.UseOrleans(silo =>
        {
            silo.AddHyMiRecGrains();
            silo.Services.AddOptions<ClusterOptions>().Configure<IOptions<HyMiRecClusterOptions>>((o, cluster) =>
            {
                o.ClusterId = cluster.Value.ClusterId;
                o.ServiceId = cluster.Value.ServiceId;
            });
            silo.AddHyMiRecClustering(HyMiRecClusterOptions.ModeOf(configuration));
            silo.AddHyMiRecStorage(postgres);
            // Clicks from Kafka reach the user grains' implicit subscriptions through this provider.
            if (KafkaOptions.IsEnabled(configuration))
            {
                silo.AddKafkaClickStreams();
            }

            if (HyMiRecDashboardOptions.IsEnabled(configuration))
            {
                silo.AddDashboard();
            }

            configureSilo?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>The user journal and interest snapshots: PostgreSQL with group commit when a connection string is set, else this process's memory.</summary>
    private static void AddHyMiRecJournal(this IServiceCollection services, bool postgres)
    {
        if (!postgres)
        {
            services.AddSingleton<IUserJournal, MemoryUserJournal>();
            services.AddSingleton<IInterestSnapshots, MemoryInterestSnapshots>();
            services.AddSingleton(sp => new LegacyUserStates(null, _ => Task.FromResult(false)));
            return;
        }

        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
        services.AddSingleton<IUserJournal>(sp => new PostgresUserJournal(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, sp.GetRequiredService<IOptions<JournalOptions>>()));
        services.AddSingleton<IInterestSnapshots>(sp => new PostgresInterestSnapshots(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, sp.GetRequiredService<IOptions<JournalOptions>>()));
        services.AddSingleton(sp => new LegacyUserStates(
            sp.GetKeyedService<IGrainStorage>(StorageNames.Users),
            cancellation => PostgresLegacyProbe.AnyUserStateAsync(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, cancellation)));
    }

    private static void AddHyMiRecStorage(this ISiloBuilder silo, bool postgres)
    {
        foreach (var name in StorageNames.All)
        {
            if (postgres)
            {
                silo.AddAdoNetGrainStorage(name, options => options.Configure<IOptions<StorageOptions>>((o, storage) =>
                {
                    o.Invariant = PostgresInvariant;
                    o.ConnectionString = storage.Value.ConnectionString;
                }));
            }
            else
            {
                silo.AddMemoryGrainStorage(name);
            }
        }
    }

    private static void AddHyMiRecClustering(this ISiloBuilder silo, ClusterMode mode)
    {
        var endpoints = silo.Services.AddOptions<EndpointOptions>();
        if (mode == ClusterMode.Localhost)
        {
            // What UseLocalhostClustering does, with the ports read from the validated options.
            endpoints.Configure<IOptions<HyMiRecClusterOptions>>((o, cluster) =>
            {
                o.AdvertisedIPAddress = IPAddress.Loopback;
                o.SiloPort = cluster.Value.SiloPort;
                o.GatewayPort = cluster.Value.GatewayPort;
            });
            silo.UseDevelopmentClustering(options => options.Configure<IOptions<HyMiRecClusterOptions>>((o, cluster) =>
            {
                var primary = cluster.Value.PrimarySiloPort == 0 ? cluster.Value.SiloPort : cluster.Value.PrimarySiloPort;
                o.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, primary);
            }));
            return;
        }

        // ClusterOptionsValidator stops the start when these modes have no connection string.
        silo.UseAdoNetClustering(options => options.Configure<IOptions<StorageOptions>>((o, storage) =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = storage.Value.ConnectionString;
        }));
        if (mode == ClusterMode.Kubernetes)
        {
            // The hosting package names the silo after the pod, listens on any address and takes the cluster and
            // service ids from ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID. It advertises POD_IP only when no address is
            // set yet, and Orleans' own defaults set one first (the host's address), so POD_IP is applied here.
            var podIp = Environment.GetEnvironmentVariable(Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodIPEnvironmentVariable);
            endpoints.Configure<IOptions<HyMiRecClusterOptions>>((o, cluster) =>
            {
                o.SiloPort = cluster.Value.SiloPort;
                o.GatewayPort = cluster.Value.GatewayPort;
                if (!string.IsNullOrWhiteSpace(podIp))
                {
                    o.AdvertisedIPAddress = IPAddress.Parse(podIp);
                }
            });
            silo.UseKubernetesHosting();
            return;
        }

        // What ConfigureEndpoints(..., listenOnAnyHostAddress: true) does, from the validated options.
        endpoints.Configure<IOptions<HyMiRecClusterOptions>>((o, options) =>
        {
            var cluster = options.Value;
            o.AdvertisedIPAddress = cluster.AdvertisedAddress is { Length: > 0 } address ? IPAddress.Parse(address) : IPAddress.Loopback;
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.GatewayPort);
        });
    }

    private const string PostgresInvariant = "Npgsql";
}
