using HyMiRec.Testing.Deploy;
using YamlDotNet.RepresentationModel;

namespace HyMiRec.IntegrationTests.Deploy;

/// <summary>
/// Whether rendered NetworkPolicies admit a connection to a pod, as an enforcing CNI decides it: a pod selected by
/// no ingress policy accepts everything; otherwise some rule of a policy selecting it must match both the port
/// and the caller. Ingress only, matchLabels selectors only (what k8s/ uses); namespaces are matched by their
/// kubernetes.io/metadata.name label.
/// </summary>
internal sealed class NetworkPolicies(IReadOnlyList<Manifest> objects, string ns)
{
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>A pod that connects: its namespace and labels.</summary>
    public sealed record Caller(string Namespace, IReadOnlyDictionary<string, string> Labels);

    public bool Admits(Manifest target, string portName, Caller caller)
    {
        var (labels, spec) = PodTemplate(target);
        var number = Yaml.Items(Yaml.At(spec, "containers")).SelectMany(c => Yaml.Items(Yaml.At(c, "ports")))
            .Where(p => Yaml.Text(Yaml.At(p, "name")) == portName).Select(p => Yaml.Int(Yaml.At(p, "containerPort"))).FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"{target.Id} has no container port named '{portName}'");
        var policies = objects.Where(o => o.Kind == "NetworkPolicy" && o.Namespace == ns && GovernsIngress(o)
            && ManifestChecker.Selects(MatchLabels(o["spec", "podSelector"]), labels)).ToList();
        return policies.Count == 0 || policies.Any(p => Yaml.Items(p["spec", "ingress"])
            .Any(rule => MatchesPort(rule, portName, number) && MatchesCaller(rule, caller)));
    }

    public Caller PodOf(Manifest owner) => new(ns, PodTemplate(owner).Labels);

    public static (Dictionary<string, string> Labels, YamlNode? Spec) PodTemplate(Manifest owner)
    {
        var template = owner.Kind == "CronJob" ? owner["spec", "jobTemplate", "spec", "template"] : owner["spec", "template"];
        return (Yaml.StringMap(Yaml.At(template, "metadata", "labels")) ?? [], Yaml.At(template, "spec"));
    }

    /// <summary>Without policyTypes a policy governs ingress (and egress only if it has egress rules).</summary>
    private static bool GovernsIngress(Manifest policy) =>
        policy["spec", "policyTypes"] is not YamlSequenceNode types || types.Children.Select(Yaml.Text).Contains("Ingress");

    private static bool MatchesPort(YamlNode rule, string name, long number)
    {
        var ports = Yaml.Items(Yaml.At(rule, "ports")).ToList();
        return ports.Count == 0 || ports.Any(p => Yaml.Text(Yaml.At(p, "port")) == name || Yaml.Int(Yaml.At(p, "port")) == number);
    }

    private bool MatchesCaller(YamlNode rule, Caller caller)
    {
        if (Yaml.At(rule, "from") is not YamlSequenceNode peers)
        {
            return true;
        }

        return peers.Children.Any(peer =>
        {
            var pods = Yaml.At(peer, "podSelector");
            var namespaces = Yaml.At(peer, "namespaceSelector");
            if (pods is null && namespaces is null)
            {
                return false; // an ipBlock: not a pod of the cluster
            }

            var namespaceOk = namespaces is null
                ? caller.Namespace == ns
                : ManifestChecker.Selects(MatchLabels(namespaces), new Dictionary<string, string> { [NamespaceNameLabel] = caller.Namespace });
            return namespaceOk && (pods is null || ManifestChecker.Selects(MatchLabels(pods), caller.Labels));
        });
    }

    private static Dictionary<string, string> MatchLabels(YamlNode? selector) => Yaml.StringMap(Yaml.At(selector, "matchLabels")) ?? [];
}
