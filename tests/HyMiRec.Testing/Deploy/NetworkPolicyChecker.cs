using YamlDotNet.RepresentationModel;

namespace HyMiRec.Testing.Deploy;

/// <summary>
/// NetworkPolicy: it selects pods that exist, its pod peers exist, and a named port is a container port of every
/// selected pod (a misspelt name silently allows nothing). Only matchLabels selectors are used in k8s/.
/// </summary>
internal sealed class NetworkPolicyChecker(ManifestChecker owner)
{
    public void Check(Manifest m)
    {
        if (m["spec", "podSelector"] is not YamlMappingNode)
        {
            owner.Problem(m, "spec.podSelector is missing (use {} for every pod of the namespace)");
            return;
        }

        var selector = Yaml.StringMap(m["spec", "podSelector", "matchLabels"]) ?? [];
        var pods = owner.PodTemplates(m.Namespace).Where(p => ManifestChecker.Selects(selector, p.Labels)).ToList();
        if (pods.Count == 0)
        {
            owner.Problem(m, $"spec.podSelector {ManifestChecker.Show(selector)} matches no pod template");
        }

        var types = Yaml.Items(m["spec", "policyTypes"]).Select(Yaml.Text).ToList();
        if (types.Any(t => t is not ("Ingress" or "Egress")))
        {
            owner.Problem(m, "spec.policyTypes may list only Ingress and Egress");
        }

        foreach (var rule in Yaml.Items(m["spec", "ingress"]))
        {
            foreach (var peer in Yaml.Items(Yaml.At(rule, "from")))
            {
                CheckPeer(m, peer);
            }

            foreach (var port in Yaml.Items(Yaml.At(rule, "ports")))
            {
                CheckPort(m, port, pods.Select(p => p.Spec).ToList());
            }
        }
    }

    private void CheckPeer(Manifest m, YamlNode peer)
    {
        var pod = Yaml.At(peer, "podSelector");
        var ns = Yaml.At(peer, "namespaceSelector");
        if (pod is null && ns is null && Yaml.At(peer, "ipBlock") is null)
        {
            owner.Problem(m, "every ingress[].from[] needs podSelector, namespaceSelector or ipBlock");
            return;
        }

        // A pod selector alone means pods of this namespace, so they must be rendered here.
        if (ns is null && Yaml.StringMap(Yaml.At(pod, "matchLabels")) is { Count: > 0 } labels
            && !owner.PodTemplates(m.Namespace).Any(p => ManifestChecker.Selects(labels, p.Labels)))
        {
            owner.Problem(m, $"ingress[].from[].podSelector {ManifestChecker.Show(labels)} matches no pod template");
        }
    }

    private void CheckPort(Manifest m, YamlNode port, IReadOnlyList<YamlNode?> selected)
    {
        if (Yaml.Text(Yaml.At(port, "protocol")) is { } protocol && protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            owner.Problem(m, $"ingress[].ports[].protocol '{protocol}' must be TCP, UDP or SCTP");
        }

        var value = Yaml.At(port, "port");
        if (Yaml.Text(value) is { } name)
        {
            if (!selected.All(spec => PodChecker.ContainerPortNames(spec).Contains(name)))
            {
                owner.Problem(m, $"ingress[].ports[].port '{name}' is not a named container port of every selected pod");
            }
        }
        else if (value is not null && Yaml.Int(value) is not (>= 1 and <= 65535))
        {
            owner.Problem(m, "ingress[].ports[].port must be a port name or an integer 1-65535");
        }
    }
}
