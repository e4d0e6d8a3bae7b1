using System.Net;
using HyMiRec.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace HyMiRec.UnitTests.Serving;

/// <summary>
/// Cluster:Mode Kubernetes takes the silo's identity from the pod's environment (the Deployment sets it from the
/// downward API). The host is built, not started: starting needs a Kubernetes API server.
/// </summary>
public sealed class KubernetesModeTests
{
    [Fact]
    public async Task PodEnvironmentGivesSiloNameAddressAndIds()
    {
        var pod = new Dictionary<string, string>
        {
            [KubernetesHostingOptions.PodNameEnvironmentVariable] = "hymirec-silo-7d9f-abcde",
            [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "hymirec",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "10.1.2.3",
            [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = "svc-from-label",
            [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = "cluster-from-label",
        };
        foreach (var (key, value) in pod)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        try
        {
            var app = ServingApp.Build(
            [
                "--Cluster:Mode=Kubernetes", "--Cluster:SiloPort=11112", "--Cluster:GatewayPort=30002",
                "--Storage:ConnectionString=Host=127.0.0.1;Database=none", "--Model:ArtifactDirectory=" + Path.GetTempPath(),
            ]);
            await using (app)
            {
                var services = app.Services;
                Assert.Equal("hymirec-silo-7d9f-abcde", services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
                var endpoints = services.GetRequiredService<IOptions<EndpointOptions>>().Value;
                Assert.Equal(IPAddress.Parse("10.1.2.3"), endpoints.AdvertisedIPAddress);
                Assert.Equal(11112, endpoints.SiloPort);
                Assert.Equal(30002, endpoints.GatewayPort);
                Assert.Equal(IPAddress.Any, endpoints.SiloListeningEndpoint?.Address);
                var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
                Assert.Equal("svc-from-label", cluster.ServiceId);
                Assert.Equal("cluster-from-label", cluster.ClusterId);
            }
        }
        finally
        {
            foreach (var key in pod.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }

    [Fact]
    public async Task AdoNetModeNeedsPostgreSql() => await StartFailsNamingTheConnectionString("AdoNet");

    [Fact]
    public async Task KubernetesModeNeedsPostgreSql()
    {
        // Outside a pod the Kubernetes package's own check fails first; with the pod's environment, ours does.
        var pod = new Dictionary<string, string>
        {
            [KubernetesHostingOptions.PodNameEnvironmentVariable] = "hymirec-silo-7d9f-abcde",
            [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "hymirec",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "10.1.2.3",
        };
        foreach (var (key, value) in pod)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        try
        {
            await StartFailsNamingTheConnectionString("Kubernetes");
        }
        finally
        {
            foreach (var key in pod.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }

    private static async Task StartFailsNamingTheConnectionString(string mode)
    {
        var app = ServingApp.Build(["--Cluster:Mode=" + mode, "--Model:ArtifactDirectory=" + Path.GetTempPath()]);
        await using (app)
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        }
    }
}
