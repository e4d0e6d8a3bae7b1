using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HyMiRec.Testing.Deploy;

/// <summary>Checks one pod template spec: containers, images, resources, probes, env, volumes and what they reference.</summary>
internal sealed partial class PodChecker(ManifestChecker owner, Manifest m, IReadOnlyDictionary<string, string> podLabels, IReadOnlyList<string> claimTemplates, bool longRunning)
{
    private static readonly string[] ProbeHandlers = ["httpGet", "tcpSocket", "exec", "grpc"];

    private static readonly HashSet<string> PlainFieldPaths =
        ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.podIP", "status.hostIP"];

    public static IReadOnlySet<string> ContainerPortNames(YamlNode? podSpec) =>
        Yaml.Items(Yaml.At(podSpec, "containers")).SelectMany(c => Yaml.Items(Yaml.At(c, "ports"))).Select(p => Yaml.Text(Yaml.At(p, "name")))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);

    public void Check(YamlNode? spec, string where)
    {
        if (spec is not YamlMappingNode)
        {
            owner.Problem(m, $"{where} is missing");
            return;
        }

        if (Yaml.Text(Yaml.At(spec, "serviceAccountName")) is { } account && owner.Find("ServiceAccount", account, m.Namespace) is null)
        {
            owner.Problem(m, $"{where}.serviceAccountName '{account}' is not among the rendered objects");
        }

        var volumes = CheckVolumes(Yaml.At(spec, "volumes"), where);
        var containers = Yaml.Items(Yaml.At(spec, "containers")).ToList();
        if (containers.Count == 0)
        {
            owner.Problem(m, $"{where}.containers must list at least one container");
        }

        var names = containers.Select(c => Yaml.Text(Yaml.At(c, "name"))).ToList();
        if (names.Any(n => n is null) || names.Distinct().Count() != names.Count)
        {
            owner.Problem(m, $"{where}.containers[].name must be set and unique");
        }

        var podNonRoot = Yaml.At(spec, "securityContext", "runAsNonRoot") is YamlScalarNode { Value: "true" };
        foreach (var container in containers)
        {
            CheckContainer(container, $"{where}.containers[{Yaml.Text(Yaml.At(container, "name"))}]", volumes, podNonRoot);
        }
    }

    private HashSet<string> CheckVolumes(YamlNode? node, string where)
    {
        var names = new HashSet<string>(claimTemplates, StringComparer.Ordinal);
        foreach (var volume in Yaml.Items(node))
        {
            var name = Yaml.Text(Yaml.At(volume, "name"));
            if (name is null || !names.Add(name))
            {
                owner.Problem(m, $"{where}.volumes[].name must be set and unique ('{name}')");
            }

            if (Yaml.At(volume, "persistentVolumeClaim") is { } claim
                && (Yaml.Text(Yaml.At(claim, "claimName")) is not { } claimName || owner.Find("PersistentVolumeClaim", claimName, m.Namespace) is null))
            {
                owner.Problem(m, $"volume '{name}': PersistentVolumeClaim '{Yaml.Text(Yaml.At(claim, "claimName"))}' is not among the rendered objects");
            }

            if (Yaml.At(volume, "configMap") is { } configMap
                && (Yaml.Text(Yaml.At(configMap, "name")) is not { } mapName || owner.Find("ConfigMap", mapName, m.Namespace) is null))
            {
                owner.Problem(m, $"volume '{name}': ConfigMap '{Yaml.Text(Yaml.At(configMap, "name"))}' is not among the rendered objects");
            }

            if (Yaml.At(volume, "secret") is { } secret)
            {
                var secretName = Yaml.Text(Yaml.At(secret, "secretName")) ?? "";
                var items = Yaml.Items(Yaml.At(secret, "items")).Select(i => Yaml.Text(Yaml.At(i, "key")) ?? "");
                CheckSecret($"volume '{name}'", secretName, items);
            }
        }

        return names;
    }

    private void CheckContainer(YamlNode container, string where, HashSet<string> volumes, bool podNonRoot)
    {
        var image = Yaml.Text(Yaml.At(container, "image"));
        var lastSegment = image?.Split('/')[^1] ?? "";
        if (image is null || !lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal))
        {
            owner.Problem(m, $"{where}.image must be set with an explicit tag other than latest (is '{image}')");
        }

        if (!podNonRoot && Yaml.At(container, "securityContext", "runAsNonRoot") is not YamlScalarNode { Value: "true" })
        {
            owner.Problem(m, $"{where} must run as non-root (securityContext.runAsNonRoot: true on the pod or container)");
        }

        CheckResources(Yaml.At(container, "resources"), where);
        var ports = CheckPorts(Yaml.At(container, "ports"), where);
        var env = CheckEnv(container, where);
        foreach (var field in new[] { "command", "args" })
        {
            foreach (var text in Yaml.Items(Yaml.At(container, field)).Select(Yaml.Text))
            {
                if (text is null)
                {
                    owner.Problem(m, $"{where}.{field} must be a list of strings (quote numbers)");
                    continue;
                }

                foreach (var name in VariableReference().Matches(text).Select(x => x.Groups[1].Value).Where(n => !env.Contains(n)))
                {
                    owner.Problem(m, $"{where}.{field} uses $({name}), which is not an env variable of the container");
                }
            }
        }

        var image0 = lastSegment.Split(':')[0];
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var node = Yaml.At(container, probe);
            if (node is null)
            {
                if (longRunning && probe != "startupProbe")
                {
                    owner.Problem(m, $"{where}.{probe} is missing");
                }

                continue;
            }

            CheckProbe(node, $"{where}.{probe}", ports, image0);
        }

        var mounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in Yaml.Items(Yaml.At(container, "volumeMounts")))
        {
            var name = Yaml.Text(Yaml.At(mount, "name"));
            if (name is null || !volumes.Contains(name))
            {
                owner.Problem(m, $"{where}.volumeMounts: volume '{name}' is not defined in the pod");
            }

            if (Yaml.Text(Yaml.At(mount, "mountPath")) is not { } path || !path.StartsWith('/') || !mounts.Add(path))
            {
                owner.Problem(m, $"{where}.volumeMounts[].mountPath must be an absolute path, unique in the container");
            }
        }
    }

    private void CheckResources(YamlNode? resources, string where)
    {
        foreach (var resource in new[] { "cpu", "memory" })
        {
            var ok = Quantity.TryParse(Quantity.Text(Yaml.At(resources, "requests", resource)), out var request);
            ok &= Quantity.TryParse(Quantity.Text(Yaml.At(resources, "limits", resource)), out var limit);
            if (!ok)
            {
                owner.Problem(m, $"{where}.resources must set requests and limits for {resource} as quantities");
            }
            else if (request > limit)
            {
                owner.Problem(m, $"{where}.resources: {resource} request exceeds its limit");
            }
        }
    }

    private HashSet<string> CheckPorts(YamlNode? node, string where)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var port in Yaml.Items(node))
        {
            var number = Yaml.Int(Yaml.At(port, "containerPort"));
            if (number is not (>= 1 and <= 65535))
            {
                owner.Problem(m, $"{where}.ports[].containerPort must be an integer 1-65535");
            }

            known.Add(number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
            if (Yaml.At(port, "name") is { } nameNode && (Yaml.Text(nameNode) is not { Length: <= 15 } name || !known.Add(name)))
            {
                owner.Problem(m, $"{where}.ports[].name must be a unique string of at most 15 characters");
            }
        }

        return known;
    }

    private void CheckProbe(YamlNode probe, string where, HashSet<string> ports, string image)
    {
        var handlers = ProbeHandlers.Where(h => Yaml.At(probe, h) is not null).ToList();
        if (handlers.Count != 1)
        {
            owner.Problem(m, $"{where} must have exactly one of httpGet, tcpSocket, exec, grpc");
            return;
        }

        if (handlers[0] == "exec" && !Yaml.Items(Yaml.At(probe, "exec", "command")).Any())
        {
            owner.Problem(m, $"{where}.exec.command must be a non-empty list");
        }

        if (handlers[0] is "httpGet" or "tcpSocket")
        {
            var port = Yaml.At(probe, handlers[0], "port");
            var key = Yaml.Text(port) ?? Yaml.Int(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (key is null || !ports.Contains(key))
            {
                owner.Problem(m, $"{where}.{handlers[0]}.port '{key}' is not a port of the container");
            }
        }

        if (handlers[0] == "httpGet")
        {
            var path = Yaml.Text(Yaml.At(probe, "httpGet", "path"));
            if (path is null || !path.StartsWith('/'))
            {
                owner.Problem(m, $"{where}.httpGet.path must be an absolute path");
            }
            else if (image == "hymirec-silo" && !owner.SiloPaths.Contains(path))
            {
                owner.Problem(m, $"{where}.httpGet.path '{path}' is not served by the silo ({string.Join(", ", owner.SiloPaths.Order())})");
            }
        }
    }

    private HashSet<string> CheckEnv(YamlNode container, string where)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in Yaml.Items(Yaml.At(container, "envFrom")))
        {
            if (Yaml.Text(Yaml.At(source, "configMapRef", "name")) is { } map)
            {
                if (owner.Find("ConfigMap", map, m.Namespace) is not { } configMap)
                {
                    owner.Problem(m, $"{where}.envFrom: ConfigMap '{map}' is not among the rendered objects");
                    continue;
                }

                names.UnionWith(Yaml.Entries(configMap["data"]).Select(e => e.Key));
            }
            else if (Yaml.Text(Yaml.At(source, "secretRef", "name")) is { } secret)
            {
                CheckSecret($"{where}.envFrom", secret, []);
            }
            else
            {
                owner.Problem(m, $"{where}.envFrom[] must name a configMapRef or secretRef");
            }
        }

        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in Yaml.Items(Yaml.At(container, "env")))
        {
            var name = Yaml.Text(Yaml.At(variable, "name"));
            if (name is null || !EnvName().IsMatch(name) || !own.Add(name))
            {
                owner.Problem(m, $"{where}.env: name '{name}' is invalid or not unique");
                continue;
            }

            names.Add(name);
            var value = Yaml.At(variable, "value");
            var from = Yaml.At(variable, "valueFrom");
            if ((value is null) == (from is null))
            {
                owner.Problem(m, $"{where}.env {name}: exactly one of value and valueFrom");
            }
            else if (value is not null && Yaml.Text(value) is null)
            {
                owner.Problem(m, $"{where}.env {name}: value must be a string (quote numbers and booleans)");
            }
            else if (from is not null)
            {
                CheckValueFrom(from, $"{where}.env {name}");
            }
        }

        return names;
    }

    private void CheckValueFrom(YamlNode from, string where)
    {
        if (Yaml.At(from, "secretKeyRef") is { } secretRef)
        {
            // An optional key may be absent (e.g. the previous JWT key, set only while rotating); the Secret may not.
            var optional = Yaml.At(secretRef, "optional") is YamlScalarNode { Value: "true" };
            CheckSecret(where, Yaml.Text(Yaml.At(secretRef, "name")) ?? "", optional ? [] : [Yaml.Text(Yaml.At(secretRef, "key")) ?? ""]);
        }
        else if (Yaml.At(from, "configMapKeyRef") is { } mapRef)
        {
            var key = Yaml.Text(Yaml.At(mapRef, "key")) ?? "";
            if (owner.Find("ConfigMap", Yaml.Text(Yaml.At(mapRef, "name")) ?? "", m.Namespace) is not { } map || map["data", key] is null)
            {
                owner.Problem(m, $"{where}: ConfigMap key '{key}' is not among the rendered objects");
            }
        }
        else if (Yaml.Text(Yaml.At(from, "fieldRef", "fieldPath")) is { } path)
        {
            var label = LabelPath().Match(path);
            var ok = PlainFieldPaths.Contains(path) || (label.Success && podLabels.ContainsKey(label.Groups[1].Value)) || path.StartsWith("metadata.annotations[", StringComparison.Ordinal);
            if (!ok)
            {
                owner.Problem(m, $"{where}: fieldRef '{path}' is not a downward API field (or names a label the pod template lacks)");
            }
        }
        else if (Yaml.At(from, "resourceFieldRef") is null)
        {
            owner.Problem(m, $"{where}: valueFrom needs secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef");
        }
    }

    private void CheckSecret(string where, string name, IEnumerable<string> keys)
    {
        var (exists, known) = owner.SecretKeys(name, m.Namespace);
        if (!exists)
        {
            owner.Problem(m, $"{where}: Secret '{name}' is neither rendered, created by Strimzi, nor declared in {ManifestChecker.ExternalSecretsAnnotation}");
            return;
        }

        foreach (var key in keys.Where(k => known is not null && !known.Contains(k)))
        {
            owner.Problem(m, $"{where}: Secret '{name}' has no key '{key}'");
        }
    }

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"(?<!\$)\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^metadata\.labels\['([^']+)'\]$")]
    private static partial Regex LabelPath();
}
