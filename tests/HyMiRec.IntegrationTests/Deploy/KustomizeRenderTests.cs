using HyMiRec.Testing.Deploy;

namespace HyMiRec.IntegrationTests.Deploy;

public sealed class KustomizeRenderTests
{
    private static readonly string[] RequiredKinds =
    [
        "Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "PersistentVolumeClaim", "Deployment",
        "StatefulSet", "Job", "CronJob", "PodDisruptionBudget", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "NetworkPolicy",
    ];

    /// <summary>The silos' autoscaler: CPU in dev, KEDA (click lag and CPU) in prod.</summary>
    private static readonly Dictionary<string, string[]> OverlayKinds = new()
    {
        ["dev"] = ["HorizontalPodAutoscaler"],
        ["prod"] = ["ScaledObject", "TriggerAuthentication"],
    };

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void OverlayRendersAndPassesTheSchemaCheck(string overlay)
    {
        var objects = Kustomize.Render(overlay);
        var problems = ManifestChecker.Check(objects, Kustomize.SiloPaths);
        Assert.True(problems.Count == 0, $"k8s/overlays/{overlay}:\n" + string.Join('\n', problems));
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void OverlayHasEveryPartOfTheDeployment(string overlay)
    {
        var kinds = Kustomize.Render(overlay).Select(o => o.Kind).ToHashSet();
        // Prod's Secrets (PostgreSQL, JWT signing key) are external (created by the operator).
        var missing = RequiredKinds.Concat(OverlayKinds[overlay]).Where(k => !kinds.Contains(k) && !(k == "Secret" && overlay == "prod")).ToList();
        Assert.True(missing.Count == 0, $"k8s/overlays/{overlay} lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public void BothOverlaysExist() =>
        Assert.Equal(["dev", "prod"], Kustomize.Overlays().Select(o => (string)o[0]).Order());
}
