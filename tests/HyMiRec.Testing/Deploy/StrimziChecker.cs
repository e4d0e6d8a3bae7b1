namespace HyMiRec.Testing.Deploy;

/// <summary>Strimzi resources: each names an existing Kafka cluster; sizes fit the cluster's brokers.</summary>
internal sealed class StrimziChecker(ManifestChecker owner)
{
    private const string ClusterLabel = "strimzi.io/cluster";

    public void Check(Manifest m)
    {
        if (m.Kind == "Kafka")
        {
            CheckKafka(m);
            return;
        }

        var clusterName = Yaml.Text(m["metadata", "labels", ClusterLabel]);
        if (clusterName is null || owner.Find("Kafka", clusterName, m.Namespace) is not { } cluster)
        {
            owner.Problem(m, $"label {ClusterLabel} must name a Kafka in the same namespace (is '{clusterName}')");
            return;
        }

        var brokers = Brokers(cluster);
        switch (m.Kind)
        {
            case "KafkaNodePool":
                if (Yaml.Int(m["spec", "replicas"]) is not >= 1)
                {
                    owner.Problem(m, "spec.replicas must be a positive integer");
                }

                var roles = Yaml.Items(m["spec", "roles"]).Select(Yaml.Text).ToList();
                if (roles.Count == 0 || roles.Any(r => r is not ("broker" or "controller")))
                {
                    owner.Problem(m, "spec.roles must list broker and/or controller");
                }

                if (Yaml.Text(m["spec", "storage", "type"]) is null)
                {
                    owner.Problem(m, "spec.storage.type is missing");
                }

                break;
            case "KafkaTopic":
                var topic = Yaml.Text(m["spec", "topicName"]) ?? m.Name;
                if (topic.Length > 249 || !topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                {
                    owner.Problem(m, $"topic name '{topic}' is not a valid Kafka topic name");
                }

                if (Yaml.Int(m["spec", "partitions"]) is not >= 1)
                {
                    owner.Problem(m, "spec.partitions must be a positive integer");
                }

                if (Yaml.Int(m["spec", "replicas"]) is not { } replicas || replicas < 1 || replicas > brokers)
                {
                    owner.Problem(m, $"spec.replicas must be an integer from 1 to the cluster's {brokers} brokers");
                }

                break;
            case "KafkaUser":
                if (Yaml.Text(m["spec", "authentication", "type"]) is not ("scram-sha-512" or "tls" or "tls-external"))
                {
                    owner.Problem(m, "spec.authentication.type must be scram-sha-512, tls or tls-external");
                }

                break;
            default:
                break;
        }
    }

    private void CheckKafka(Manifest m)
    {
        var listeners = Yaml.Items(m["spec", "kafka", "listeners"]).ToList();
        if (listeners.Count == 0)
        {
            owner.Problem(m, "spec.kafka.listeners must list at least one listener");
        }

        foreach (var listener in listeners)
        {
            if (Yaml.Text(Yaml.At(listener, "name")) is null || Yaml.Int(Yaml.At(listener, "port")) is not (>= 9092 and <= 65535)
                || Yaml.Text(Yaml.At(listener, "type")) is null || Yaml.At(listener, "tls") is not YamlDotNet.RepresentationModel.YamlScalarNode { Value: "true" or "false" })
            {
                owner.Problem(m, "every listener needs name, port (>= 9092), type and tls (boolean)");
            }
        }

        var brokers = Brokers(m);
        if (brokers == 0)
        {
            owner.Problem(m, "no KafkaNodePool with the broker role belongs to this cluster");
        }

        foreach (var key in new[] { "default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor", "min.insync.replicas" })
        {
            if (m["spec", "kafka", "config", key] is { } node && (Yaml.Int(node) is not { } value || value < 1 || value > brokers))
            {
                owner.Problem(m, $"spec.kafka.config.{key} must be an integer from 1 to the {brokers} brokers");
            }
        }
    }

    private int Brokers(Manifest cluster) =>
        (int)PoolsOf(cluster).Where(p => Yaml.Items(p["spec", "roles"]).Select(Yaml.Text).Contains("broker"))
            .Sum(p => Yaml.Int(p["spec", "replicas"]) ?? 0);

    private IEnumerable<Manifest> PoolsOf(Manifest cluster) => owner.Objects.Where(o =>
        o.Kind == "KafkaNodePool" && o.Namespace == cluster.Namespace && Yaml.Text(o["metadata", "labels", ClusterLabel]) == cluster.Name);
}
