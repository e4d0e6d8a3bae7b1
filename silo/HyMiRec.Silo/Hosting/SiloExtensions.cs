using HyMiRec.Grains;
using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Intake;
using HyMiRec.Grains.Journal;
using HyMiRec.Grains.Models;
using HyMiRec.Grains.Users;
using HyMiRec.Interfaces;
using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.Dashboard;

namespace HyMiRec.Silo.Hosting;

/// <summary>The Orleans side of the host: options, storage, clustering and the model services.</summary>
public static class SiloExtensions
{
    public static WebApplicationBuilder AddHyMiRecSilo(this WebApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<UsersOptions>().Bind(configuration.GetSection(UsersOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<HyMiRecClusterOptions>().Bind(configuration.GetSection(HyMiRecClusterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Failure detection (ProbeTimeout, NumMissedProbesLimit, NumVotesForDeathDeclaration, ...) keeps Orleans'
        // defaults unless "Cluster:Membership" sets them, e.g. a fault test that wants a dead silo declared quickly.
        services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection(HyMiRecClusterOptions.MembershipSection));

        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JournalOptions>().Bind(configuration.GetSection(JournalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InterestModelHost>();
        // The Kafka provider replaces this with the dead-letter topic.
        services.TryAddSingleton<IClickDeadLetters, LoggedClickDeadLetters>();
        services.AddSingleton<ModelLifecycle>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ModelLifecycle>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StorageStartup>();

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var cluster = configuration.GetSection(HyMiRecClusterOptions.Section).Get<HyMiRecClusterOptions>() ?? new HyMiRecClusterOptions();
        services.AddHyMiRecJournal(storage);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.AddHyMiRecClustering(cluster, storage);
            silo.AddHyMiRecStorage(storage);
            // Clicks from Kafka reach the user grains' implicit subscriptions through this provider.
            if (configuration.GetValue<bool>("Kafka:Enabled"))
            {
                silo.AddKafkaClickStreams(configuration.GetSection(KafkaOptions.SectionName));
            }

            if (DashboardSettings(configuration).Enabled)
            {
                silo.AddDashboard();
            }

            configureSilo?.Invoke(silo);
        });
        return builder;
    }

    internal static HyMiRecDashboardOptions DashboardSettings(IConfiguration configuration) =>
        configuration.GetSection(HyMiRecDashboardOptions.Section).Get<HyMiRecDashboardOptions>() ?? new HyMiRecDashboardOptions();

    /// <summary>The user journal: PostgreSQL with group commit when a connection string is set, else this process's memory.</summary>
    private static void AddHyMiRecJournal(this IServiceCollection services, StorageOptions storage)
    {
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            services.AddSingleton<IUserJournal, MemoryUserJournal>();
            services.AddSingleton(sp => new LegacyUserStates(null, _ => Task.FromResult(false)));
            return;
        }

        services.AddSingleton(_ => NpgsqlDataSource.Create(storage.ConnectionString));
        services.AddSingleton<IUserJournal>(sp => new PostgresUserJournal(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, sp.GetRequiredService<IOptions<JournalOptions>>()));
        services.AddSingleton(sp => new LegacyUserStates(
            sp.GetKeyedService<IGrainStorage>(StorageNames.Users),
            cancellation => PostgresLegacyProbe.AnyUserStateAsync(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, cancellation)));
    }

    private static void AddHyMiRecStorage(this ISiloBuilder silo, StorageOptions storage)
    {
        foreach (var name in StorageNames.All)
        {
            if (string.IsNullOrWhiteSpace(storage.ConnectionString))
            {
                silo.AddMemoryGrainStorage(name);
            }
            else
            {
                silo.AddAdoNetGrainStorage(name, o =>
                {
                    o.Invariant = PostgresInvariant;
                    o.ConnectionString = storage.ConnectionString;
                });
            }
        }
    }

    private static void AddHyMiRecClustering(this ISiloBuilder silo, HyMiRecClusterOptions cluster, StorageOptions storage)
    {
        if (cluster.Mode == ClusterMode.Localhost)
        {
            var primary = cluster.PrimarySiloPort == 0 ? cluster.SiloPort : cluster.PrimarySiloPort;
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, primary),
                cluster.ServiceId, cluster.ClusterId);
            return;
        }

        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            throw new InvalidOperationException($"Cluster:Mode {cluster.Mode} needs Storage:ConnectionString (membership lives in PostgreSQL)");
        }

        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = storage.ConnectionString;
        });
        if (cluster.Mode == ClusterMode.Kubernetes)
        {
            // The hosting package names the silo after the pod, listens on any address and takes the cluster and
            // service ids from ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID. It advertises POD_IP only when no address is
            // set yet, and Orleans' own defaults set one first (the host's address), so POD_IP is applied here.
            var podIp = Environment.GetEnvironmentVariable(Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodIPEnvironmentVariable);
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = cluster.SiloPort;
                o.GatewayPort = cluster.GatewayPort;
                if (!string.IsNullOrWhiteSpace(podIp))
                {
                    o.AdvertisedIPAddress = System.Net.IPAddress.Parse(podIp);
                }
            });
            silo.UseKubernetesHosting();
            return;
        }

        silo.ConfigureEndpoints(
            cluster.AdvertisedAddress is { Length: > 0 } address ? System.Net.IPAddress.Parse(address) : System.Net.IPAddress.Loopback,
            cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
    }

    private const string PostgresInvariant = "Npgsql";
}
