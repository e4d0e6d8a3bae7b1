using HyMiRec.Testing.Deploy;

namespace HyMiRec.IntegrationTests.Deploy;

/// <summary>Who reaches the silos' and PostgreSQL's ports in the rendered overlays (issue 16: network boundaries).</summary>
public sealed class NetworkPolicyTests
{
    private const string IngressControllerNamespace = "ingress-nginx";
    private const string MonitoringNamespace = "monitoring";

    private static readonly Dictionary<string, string> AnyOtherPod = new() { ["app.kubernetes.io/name"] = "something-else" };

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void OrleansSiloAndGatewayPortsAdmitOnlySilosAndTheTrainer(string overlay)
    {
        var (policies, pods) = Render(overlay);
        foreach (var port in new[] { "silo", "gateway" })
        {
            Assert.True(policies.Admits(pods.Silo, port, policies.PodOf(pods.Silo)), $"silo -> {port}");
            Assert.True(policies.Admits(pods.Silo, port, policies.PodOf(pods.Trainer)), $"trainer -> {port}");
            Assert.False(policies.Admits(pods.Silo, port, policies.PodOf(pods.Schema)), $"schema job -> {port}");
            Assert.False(policies.Admits(pods.Silo, port, policies.PodOf(pods.Postgres)), $"postgres -> {port}");
            Assert.False(policies.Admits(pods.Silo, port, pods.Other), $"another pod of the namespace -> {port}");
            Assert.False(policies.Admits(pods.Silo, port, new(IngressControllerNamespace, AnyOtherPod)), $"ingress controller -> {port}");
            Assert.False(policies.Admits(pods.Silo, port, new(MonitoringNamespace, AnyOtherPod)), $"monitoring -> {port}");
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void HttpPortAdmitsTheNamespaceTheIngressControllerAndMonitoring(string overlay)
    {
        var (policies, pods) = Render(overlay);
        Assert.True(policies.Admits(pods.Silo, "http", pods.Other), "a client pod of the namespace");
        Assert.True(policies.Admits(pods.Silo, "http", new(IngressControllerNamespace, AnyOtherPod)), "the ingress controller");
        // The metrics are served on the HTTP port (Telemetry__PrometheusPath), so Prometheus needs it.
        Assert.True(policies.Admits(pods.Silo, "http", new(MonitoringNamespace, AnyOtherPod)), "Prometheus");
        Assert.False(policies.Admits(pods.Silo, "http", new("default", AnyOtherPod)), "a pod of another namespace");
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void PostgresAdmitsOnlySilosTrainerAndSchemaJob(string overlay)
    {
        var (policies, pods) = Render(overlay);
        Assert.True(policies.Admits(pods.Postgres, "postgres", policies.PodOf(pods.Silo)), "silo");
        Assert.True(policies.Admits(pods.Postgres, "postgres", policies.PodOf(pods.Trainer)), "trainer");
        Assert.True(policies.Admits(pods.Postgres, "postgres", policies.PodOf(pods.Schema)), "schema job");
        Assert.False(policies.Admits(pods.Postgres, "postgres", pods.Other), "another pod of the namespace");
        Assert.False(policies.Admits(pods.Postgres, "postgres", new(MonitoringNamespace, policies.PodOf(pods.Silo).Labels)), "a silo-labelled pod elsewhere");
    }

    private sealed record Pods(Manifest Silo, Manifest Trainer, Manifest Schema, Manifest Postgres, NetworkPolicies.Caller Other);

    private static (NetworkPolicies, Pods) Render(string overlay)
    {
        var objects = Kustomize.Render(overlay);
        Manifest Find(string kind, string name) => objects.Single(o => o.Kind == kind && o.Name == name);
        var silo = Find("Deployment", "hymirec-silo");
        var ns = silo.Namespace!;
        return (new NetworkPolicies(objects, ns), new Pods(silo, Find("CronJob", "hymirec-trainer"), Find("Job", "hymirec-schema"),
            Find("StatefulSet", "hymirec-postgres"), new NetworkPolicies.Caller(ns, AnyOtherPod)));
    }
}
