using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HyMiRec.Testing.Deploy;

/// <summary>
/// Our own schema check of rendered manifests (no cluster to validate against): known apiVersion/kind pairs, the
/// fields each kind requires with their types, and references between objects (selectors, scale targets,
/// ConfigMaps, Secrets, PVCs, Kafka clusters, network policy peers and ports). Returns every problem found, one line each.
/// </summary>
internal sealed partial class ManifestChecker
{
    /// <summary>Secrets that the manifests reference but are created outside them, named in this Namespace annotation.</summary>
    public const string ExternalSecretsAnnotation = "hymirec.io/external-secrets";

    private static readonly Dictionary<(string ApiVersion, string Kind), bool> Namespaced = new()
    {
        [("v1", "Namespace")] = false,
        [("v1", "ServiceAccount")] = true,
        [("v1", "ConfigMap")] = true,
        [("v1", "Secret")] = true,
        [("v1", "Service")] = true,
        [("v1", "PersistentVolumeClaim")] = true,
        [("apps/v1", "Deployment")] = true,
        [("apps/v1", "StatefulSet")] = true,
        [("batch/v1", "Job")] = true,
        [("batch/v1", "CronJob")] = true,
        [("policy/v1", "PodDisruptionBudget")] = true,
        [("autoscaling/v2", "HorizontalPodAutoscaler")] = true,
        [("rbac.authorization.k8s.io/v1", "Role")] = true,
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = true,
        [("kafka.strimzi.io/v1beta2", "Kafka")] = true,
        [("kafka.strimzi.io/v1beta2", "KafkaNodePool")] = true,
        [("kafka.strimzi.io/v1beta2", "KafkaTopic")] = true,
        [("kafka.strimzi.io/v1beta2", "KafkaUser")] = true,
        [("networking.k8s.io/v1", "NetworkPolicy")] = true,
        [("keda.sh/v1alpha1", "ScaledObject")] = true,
        [("keda.sh/v1alpha1", "TriggerAuthentication")] = true,
    };

    private static readonly HashSet<string> RbacVerbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "*"];

    private readonly IReadOnlyList<Manifest> _objects;
    private readonly IReadOnlySet<string> _siloPaths;
    private readonly List<string> _problems = [];

    private ManifestChecker(IReadOnlyList<Manifest> objects, IReadOnlySet<string> siloPaths)
    {
        _objects = objects;
        _siloPaths = siloPaths;
    }

    /// <param name="siloPaths">HTTP paths the silo serves; probes of containers running the silo image must use one.</param>
    public static IReadOnlyList<string> Check(IReadOnlyList<Manifest> objects, IReadOnlySet<string> siloPaths)
    {
        var checker = new ManifestChecker(objects, siloPaths);
        checker.Run();
        return checker._problems;
    }

    internal void Problem(Manifest m, string message) => _problems.Add($"{m.Id}: {message}");

    internal Manifest? Find(string kind, string name, string? ns) =>
        _objects.FirstOrDefault(o => o.Kind == kind && o.Name == name && (o.Namespace == ns || !Namespaced.GetValueOrDefault((o.ApiVersion, o.Kind))));

    internal IReadOnlySet<string> SiloPaths => _siloPaths;

    internal IReadOnlyList<Manifest> Objects => _objects;

    private void Run()
    {
        foreach (var group in _objects.GroupBy(o => (o.Kind, o.Name, o.Namespace)).Where(g => g.Count() > 1))
        {
            Problem(group.First(), "defined more than once");
        }

        foreach (var m in _objects)
        {
            if (!Namespaced.TryGetValue((m.ApiVersion, m.Kind), out var namespaced))
            {
                Problem(m, $"unknown apiVersion/kind pair {m.ApiVersion} {m.Kind}");
                continue;
            }

            CheckMetadata(m, namespaced);
            switch (m.Kind)
            {
                case "ConfigMap":
                case "Secret":
                    CheckData(m);
                    break;
                case "Service":
                    CheckService(m);
                    break;
                case "PersistentVolumeClaim":
                    CheckClaimSpec(m, m["spec"], "spec");
                    break;
                case "Deployment":
                case "StatefulSet":
                    CheckWorkload(m);
                    break;
                case "Job":
                    CheckJobSpec(m, m["spec"], "spec");
                    break;
                case "CronJob":
                    CheckCronJob(m);
                    break;
                case "PodDisruptionBudget":
                    CheckPdb(m);
                    break;
                case "HorizontalPodAutoscaler":
                    CheckHpa(m);
                    break;
                case "Role":
                    CheckRole(m);
                    break;
                case "RoleBinding":
                    CheckRoleBinding(m);
                    break;
                case "Kafka":
                case "KafkaNodePool":
                case "KafkaTopic":
                case "KafkaUser":
                    new StrimziChecker(this).Check(m);
                    break;
                case "NetworkPolicy":
                    new NetworkPolicyChecker(this).Check(m);
                    break;
                case "ScaledObject":
                case "TriggerAuthentication":
                    new KedaChecker(this).Check(m);
                    break;
                default:
                    break;
            }
        }

        KedaChecker.CheckOneAutoscalerPerTarget(this);
    }

    private void CheckMetadata(Manifest m, bool namespaced)
    {
        if (m.Name.Length > 253 || !SubdomainName().IsMatch(m.Name))
        {
            Problem(m, "metadata.name must be a DNS-1123 subdomain (lower case, digits, '-', '.')");
        }

        if (namespaced)
        {
            if (string.IsNullOrEmpty(m.Namespace))
            {
                Problem(m, "metadata.namespace is not set");
            }
            else if (Find("Namespace", m.Namespace, null) is null)
            {
                Problem(m, $"namespace '{m.Namespace}' is not among the rendered objects");
            }
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (m["metadata", field] is { } node && Yaml.StringMap(node) is null)
            {
                Problem(m, $"metadata.{field} must map strings to strings");
            }
        }
    }

    private void CheckData(Manifest m)
    {
        foreach (var field in new[] { "data", "stringData" })
        {
            var node = m[field];
            if (node is null)
            {
                continue;
            }

            if (Yaml.StringMap(node) is not { } data)
            {
                Problem(m, $"{field} values must all be strings (quote numbers and booleans)");
                continue;
            }

            foreach (var key in data.Keys.Where(k => !DataKey().IsMatch(k)))
            {
                Problem(m, $"{field} key '{key}' is not a valid key ([-._a-zA-Z0-9]+)");
            }
        }
    }

    private void CheckService(Manifest m)
    {
        var ports = Yaml.Items(m["spec", "ports"]).ToList();
        if (ports.Count == 0)
        {
            Problem(m, "spec.ports must list at least one port");
        }

        var selector = Yaml.StringMap(m["spec", "selector"]);
        if (selector is null || selector.Count == 0)
        {
            Problem(m, "spec.selector must be a non-empty map of strings");
            return;
        }

        var pods = PodTemplates(m.Namespace).Where(p => Selects(selector, p.Labels)).ToList();
        if (pods.Count == 0)
        {
            Problem(m, $"spec.selector {Show(selector)} matches no pod template");
        }

        foreach (var port in ports)
        {
            if (Yaml.Int(Yaml.At(port, "port")) is not (>= 1 and <= 65535))
            {
                Problem(m, "every spec.ports[].port must be an integer 1-65535");
            }

            var target = Yaml.At(port, "targetPort");
            if (Yaml.Text(target) is { } name && !pods.All(p => PodChecker.ContainerPortNames(p.Spec).Contains(name)))
            {
                Problem(m, $"targetPort '{name}' is not a named container port of every selected pod");
            }
        }
    }

    internal void CheckClaimSpec(Manifest m, YamlNode? spec, string where)
    {
        var modes = Yaml.Items(Yaml.At(spec, "accessModes")).Select(Yaml.Text).ToList();
        if (modes.Count == 0 || modes.Any(a => a is not ("ReadWriteOnce" or "ReadOnlyMany" or "ReadWriteMany" or "ReadWriteOncePod")))
        {
            Problem(m, $"{where}.accessModes must list ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod");
        }

        if (!Quantity.TryParse(Quantity.Text(Yaml.At(spec, "resources", "requests", "storage")), out _))
        {
            Problem(m, $"{where}.resources.requests.storage must be a quantity such as 10Gi");
        }
    }

    private void CheckWorkload(Manifest m)
    {
        var selector = Yaml.StringMap(m["spec", "selector", "matchLabels"]);
        var labels = Yaml.StringMap(m["spec", "template", "metadata", "labels"]);
        if (selector is null || selector.Count == 0)
        {
            Problem(m, "spec.selector.matchLabels must be a non-empty map of strings");
        }
        else if (labels is null || !Selects(selector, labels))
        {
            Problem(m, $"spec.selector.matchLabels {Show(selector)} does not match spec.template.metadata.labels");
        }

        var claims = new List<string>();
        if (m.Kind == "StatefulSet")
        {
            if (Yaml.Text(m["spec", "serviceName"]) is not { } service || Find("Service", service, m.Namespace) is null)
            {
                Problem(m, "spec.serviceName must name a Service in the same namespace");
            }

            foreach (var template in Yaml.Items(m["spec", "volumeClaimTemplates"]))
            {
                claims.Add(Yaml.Text(Yaml.At(template, "metadata", "name")) ?? "");
                CheckClaimSpec(m, Yaml.At(template, "spec"), "spec.volumeClaimTemplates[]");
            }
        }

        new PodChecker(this, m, labels ?? [], claims, longRunning: true).Check(m["spec", "template", "spec"], "spec.template.spec");
    }

    private void CheckJobSpec(Manifest m, YamlNode? spec, string where)
    {
        var labels = Yaml.StringMap(Yaml.At(spec, "template", "metadata", "labels")) ?? [];
        var pod = Yaml.At(spec, "template", "spec");
        if (Yaml.Text(Yaml.At(pod, "restartPolicy")) is not ("Never" or "OnFailure"))
        {
            Problem(m, $"{where}.template.spec.restartPolicy must be Never or OnFailure for a Job");
        }

        if (Yaml.At(spec, "backoffLimit") is { } backoff && Yaml.Int(backoff) is not >= 0)
        {
            Problem(m, $"{where}.backoffLimit must be a non-negative integer");
        }

        new PodChecker(this, m, labels, [], longRunning: false).Check(pod, $"{where}.template.spec");
    }

    private void CheckCronJob(Manifest m)
    {
        if (!Cron.IsValid(Yaml.Text(m["spec", "schedule"])))
        {
            Problem(m, $"spec.schedule '{Yaml.Text(m["spec", "schedule"])}' is not a valid five-field cron schedule");
        }

        if (m["spec", "concurrencyPolicy"] is { } policy && Yaml.Text(policy) is not ("Allow" or "Forbid" or "Replace"))
        {
            Problem(m, "spec.concurrencyPolicy must be Allow, Forbid or Replace");
        }

        CheckJobSpec(m, m["spec", "jobTemplate", "spec"], "spec.jobTemplate.spec");
    }

    private void CheckPdb(Manifest m)
    {
        var hasMin = m["spec", "minAvailable"] is not null;
        var hasMax = m["spec", "maxUnavailable"] is not null;
        if (hasMin == hasMax)
        {
            Problem(m, "exactly one of spec.minAvailable and spec.maxUnavailable must be set");
        }

        var selector = Yaml.StringMap(m["spec", "selector", "matchLabels"]);
        if (selector is null || selector.Count == 0)
        {
            Problem(m, "spec.selector.matchLabels must be a non-empty map of strings");
        }
        else if (!PodTemplates(m.Namespace).Any(p => p.Owner.Kind is "Deployment" or "StatefulSet" && Selects(selector, p.Labels)))
        {
            Problem(m, $"spec.selector {Show(selector)} matches no Deployment or StatefulSet pods");
        }
    }

    private void CheckHpa(Manifest m)
    {
        var kind = Yaml.Text(m["spec", "scaleTargetRef", "kind"]);
        var name = Yaml.Text(m["spec", "scaleTargetRef", "name"]);
        if (kind is null || name is null || Find(kind, name, m.Namespace) is not { } target)
        {
            Problem(m, $"spec.scaleTargetRef {kind}/{name} is not among the rendered objects");
        }
        else if (Yaml.Text(m["spec", "scaleTargetRef", "apiVersion"]) != target.ApiVersion)
        {
            Problem(m, $"spec.scaleTargetRef.apiVersion must be {target.ApiVersion}");
        }

        var min = Yaml.Int(m["spec", "minReplicas"]) ?? 1;
        if (Yaml.Int(m["spec", "maxReplicas"]) is not { } max || min < 1 || max < min)
        {
            Problem(m, "spec.maxReplicas must be an integer at least spec.minReplicas (>= 1)");
        }

        if (!Yaml.Items(m["spec", "metrics"]).Any())
        {
            Problem(m, "spec.metrics must list at least one metric");
        }
    }

    private void CheckRole(Manifest m)
    {
        var rules = Yaml.Items(m["rules"]).ToList();
        if (rules.Count == 0)
        {
            Problem(m, "rules must list at least one rule");
        }

        foreach (var rule in rules)
        {
            foreach (var field in new[] { "apiGroups", "resources", "verbs" })
            {
                var values = Yaml.Items(Yaml.At(rule, field)).Select(Yaml.Text).ToList();
                if (values.Count == 0 || values.Any(v => v is null))
                {
                    Problem(m, $"rules[].{field} must be a non-empty list of strings");
                }
            }

            foreach (var verb in Yaml.Items(Yaml.At(rule, "verbs")).Select(Yaml.Text).Where(v => v is not null && !RbacVerbs.Contains(v)))
            {
                Problem(m, $"unknown verb '{verb}'");
            }
        }
    }

    private void CheckRoleBinding(Manifest m)
    {
        if (Yaml.Text(m["roleRef", "kind"]) != "Role" || Yaml.Text(m["roleRef", "apiGroup"]) != "rbac.authorization.k8s.io"
            || Yaml.Text(m["roleRef", "name"]) is not { } role || Find("Role", role, m.Namespace) is null)
        {
            Problem(m, "roleRef must name a Role (apiGroup rbac.authorization.k8s.io) in the same namespace");
        }

        foreach (var subject in Yaml.Items(m["subjects"]))
        {
            var name = Yaml.Text(Yaml.At(subject, "name"));
            var ns = Yaml.Text(Yaml.At(subject, "namespace")) ?? m.Namespace;
            if (Yaml.Text(Yaml.At(subject, "kind")) == "ServiceAccount" && (name is null || Find("ServiceAccount", name, ns) is null))
            {
                Problem(m, $"subject ServiceAccount '{name}' is not among the rendered objects");
            }
        }
    }

    /// <summary>Pod templates of Deployments, StatefulSets, Jobs and CronJobs in a namespace, with their labels.</summary>
    internal IEnumerable<(Manifest Owner, Dictionary<string, string> Labels, YamlNode? Spec)> PodTemplates(string? ns)
    {
        foreach (var o in _objects.Where(o => o.Namespace == ns))
        {
            var template = o.Kind switch
            {
                "Deployment" or "StatefulSet" or "Job" => o["spec", "template"],
                "CronJob" => o["spec", "jobTemplate", "spec", "template"],
                _ => null,
            };
            if (template is not null)
            {
                yield return (o, Yaml.StringMap(Yaml.At(template, "metadata", "labels")) ?? [], Yaml.At(template, "spec"));
            }
        }
    }

    /// <summary>Secret names available in a namespace: rendered Secrets, those Strimzi creates, and declared external ones.</summary>
    internal (bool Exists, IReadOnlySet<string>? Keys) SecretKeys(string name, string? ns)
    {
        if (Find("Secret", name, ns) is { } secret)
        {
            var keys = Yaml.Entries(secret["data"]).Concat(Yaml.Entries(secret["stringData"])).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            return (true, keys);
        }

        if (Find("KafkaUser", name, ns) is not null)
        {
            return (true, new HashSet<string>(StringComparer.Ordinal) { "password", "sasl.jaas.config" });
        }

        if (name.EndsWith("-cluster-ca-cert", StringComparison.Ordinal) && Find("Kafka", name[..^"-cluster-ca-cert".Length], ns) is not null)
        {
            return (true, new HashSet<string>(StringComparer.Ordinal) { "ca.crt", "ca.p12", "ca.password" });
        }

        var external = ns is null ? null : Yaml.Text(Find("Namespace", ns, null)?["metadata", "annotations", ExternalSecretsAnnotation]);
        var declared = external?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(name) == true;
        return (declared, null);
    }

    internal static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value);

    internal static string Show(IReadOnlyDictionary<string, string> map) => "{" + string.Join(", ", map.Select(kv => $"{kv.Key}={kv.Value}")) + "}";

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainName();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$")]
    private static partial Regex DataKey();
}
