namespace HyMiRec.Testing.Deploy;

/// <summary>
/// KEDA's ScaledObject and TriggerAuthentication: targets, replica bounds, trigger metadata (strings only, as KEDA
/// reads it), the Kafka topic a kafka trigger watches, credentials; and no workload under two autoscalers.
/// </summary>
internal sealed class KedaChecker(ManifestChecker owner)
{
    private static readonly string[] KafkaKeys = ["bootstrapServers", "consumerGroup", "topic"];

    public void Check(Manifest m)
    {
        if (m.Kind == "ScaledObject")
        {
            CheckScaledObject(m);
        }
        else
        {
            CheckTriggerAuthentication(m);
        }
    }

    /// <summary>Two autoscalers on one workload (say a CPU HPA and KEDA's own HPA) overwrite each other's replica count.</summary>
    public static void CheckOneAutoscalerPerTarget(ManifestChecker owner)
    {
        var scalers = owner.Objects.Where(o => o.Kind is "HorizontalPodAutoscaler" or "ScaledObject")
            .GroupBy(o => (o.Namespace, Target(o)));
        foreach (var group in scalers.Where(g => g.Count() > 1))
        {
            owner.Problem(group.First(), $"{group.Key.Item2.Kind}/{group.Key.Item2.Name} is scaled by more than one autoscaler ({string.Join(", ", group.Select(o => o.Id))})");
        }
    }

    private static (string Kind, string? Name) Target(Manifest scaler) =>
        (Yaml.Text(scaler["spec", "scaleTargetRef", "kind"]) ?? "Deployment", Yaml.Text(scaler["spec", "scaleTargetRef", "name"]));

    private void CheckScaledObject(Manifest m)
    {
        var (kind, name) = Target(m);
        if (name is null || owner.Find(kind, name, m.Namespace) is not { } target)
        {
            owner.Problem(m, $"spec.scaleTargetRef {kind}/{name} is not among the rendered objects");
        }
        else if ((Yaml.Text(m["spec", "scaleTargetRef", "apiVersion"]) ?? "apps/v1") != target.ApiVersion)
        {
            owner.Problem(m, $"spec.scaleTargetRef.apiVersion must be {target.ApiVersion}");
        }

        var min = Yaml.Int(m["spec", "minReplicaCount"]) ?? 0;
        var max = Yaml.Int(m["spec", "maxReplicaCount"]) ?? 100;
        if (min < 0 || max < 1 || max < min)
        {
            owner.Problem(m, "spec.maxReplicaCount must be a positive integer at least spec.minReplicaCount (>= 0)");
        }

        var triggers = Yaml.Items(m["spec", "triggers"]).ToList();
        if (triggers.Count == 0)
        {
            owner.Problem(m, "spec.triggers must list at least one trigger");
        }

        foreach (var trigger in triggers)
        {
            CheckTrigger(m, trigger, max);
        }
    }

    private void CheckTrigger(Manifest m, YamlDotNet.RepresentationModel.YamlNode trigger, long maxReplicas)
    {
        var type = Yaml.Text(Yaml.At(trigger, "type"));
        if (Yaml.StringMap(Yaml.At(trigger, "metadata")) is not { } metadata)
        {
            owner.Problem(m, $"trigger {type}: metadata values must all be strings (quote numbers and booleans)");
            return;
        }

        if (Yaml.Text(Yaml.At(trigger, "authenticationRef", "name")) is { } auth && owner.Find("TriggerAuthentication", auth, m.Namespace) is null)
        {
            owner.Problem(m, $"trigger {type}: TriggerAuthentication '{auth}' is not among the rendered objects");
        }

        switch (type)
        {
            case "kafka":
                foreach (var key in KafkaKeys.Where(k => string.IsNullOrEmpty(metadata.GetValueOrDefault(k))))
                {
                    owner.Problem(m, $"trigger kafka: metadata.{key} is required");
                }

                if (!int.TryParse(metadata.GetValueOrDefault("lagThreshold"), out var lag) || lag < 1)
                {
                    owner.Problem(m, "trigger kafka: metadata.lagThreshold must be a positive integer");
                }

                var topic = owner.Objects.FirstOrDefault(o => o.Kind == "KafkaTopic" && o.Namespace == m.Namespace
                    && (Yaml.Text(o["spec", "topicName"]) ?? o.Name) == metadata.GetValueOrDefault("topic"));
                if (topic is null)
                {
                    owner.Problem(m, $"trigger kafka: topic '{metadata.GetValueOrDefault("topic")}' is not a rendered KafkaTopic");
                }
                else if (Yaml.Int(topic["spec", "partitions"]) is { } partitions && maxReplicas > partitions)
                {
                    // One partition is read by one consumer: replicas beyond the partitions would sit idle on ingest.
                    owner.Problem(m, $"spec.maxReplicaCount {maxReplicas} exceeds the {partitions} partitions of topic '{topic.Name}'");
                }

                break;
            case "cpu":
            case "memory":
                if (Yaml.Text(Yaml.At(trigger, "metricType")) is not ("Utilization" or "AverageValue") || !double.TryParse(metadata.GetValueOrDefault("value"), out _))
                {
                    owner.Problem(m, $"trigger {type}: needs metricType Utilization or AverageValue and a numeric metadata.value");
                }

                break;
            case null:
                owner.Problem(m, "every trigger needs a type");
                break;
            default:
                break;
        }
    }

    private void CheckTriggerAuthentication(Manifest m)
    {
        var secrets = Yaml.Items(m["spec", "secretTargetRef"]).ToList();
        var env = Yaml.Items(m["spec", "env"]).ToList();
        if (secrets.Count + env.Count == 0)
        {
            owner.Problem(m, "spec lists no secretTargetRef or env parameter");
        }

        foreach (var entry in secrets.Concat(env).Where(e => Yaml.Text(Yaml.At(e, "parameter")) is null || Yaml.Text(Yaml.At(e, "name")) is null))
        {
            owner.Problem(m, "every secretTargetRef[] and env[] needs parameter and name");
        }

        foreach (var entry in secrets)
        {
            var name = Yaml.Text(Yaml.At(entry, "name")) ?? "";
            var key = Yaml.Text(Yaml.At(entry, "key")) ?? "";
            var (exists, keys) = owner.SecretKeys(name, m.Namespace);
            if (!exists)
            {
                owner.Problem(m, $"secretTargetRef: Secret '{name}' is neither rendered, created by Strimzi, nor declared in {ManifestChecker.ExternalSecretsAnnotation}");
            }
            else if (keys is not null && !keys.Contains(key))
            {
                owner.Problem(m, $"secretTargetRef: Secret '{name}' has no key '{key}'");
            }
        }
    }
}
