using HyMiRec.Testing.Deploy;

namespace HyMiRec.IntegrationTests.Deploy;

/// <summary>Who scales the silos: a CPU HorizontalPodAutoscaler in dev, KEDA on click lag (and CPU) in prod; never both.</summary>
public sealed class ScalingManifestTests
{
    [KubectlFact]
    public void ProdScalesTheSilosOnTheClickTopicsLagWithinItsPartitions()
    {
        var objects = Kustomize.Render("prod");
        var settings = Yaml.StringMap(objects.Single(o => o.Kind == "ConfigMap" && o.Name == "hymirec-silo")["data"])!;
        var scaled = objects.Single(o => o.Kind == "ScaledObject");
        Assert.Equal("Deployment", Yaml.Text(scaled["spec", "scaleTargetRef", "kind"]) ?? "Deployment");
        Assert.Equal("hymirec-silo", Yaml.Text(scaled["spec", "scaleTargetRef", "name"]));
        Assert.DoesNotContain(objects, o => o.Kind == "HorizontalPodAutoscaler" && Yaml.Text(o["spec", "scaleTargetRef", "name"]) == "hymirec-silo");

        var kafka = Yaml.Items(scaled["spec", "triggers"]).Single(t => Yaml.Text(Yaml.At(t, "type")) == "kafka");
        var metadata = Yaml.StringMap(Yaml.At(kafka, "metadata"))!;
        // The lag KEDA reads is the lag of the group and topic the silos consume, through the listener they use.
        Assert.Equal("hymirec-silo", metadata["consumerGroup"]);
        Assert.Equal(settings["Kafka__ConsumerGroup"], metadata["consumerGroup"]);
        Assert.Equal(settings["Kafka__ClickTopic"], metadata["topic"]);
        Assert.Equal(settings["Kafka__BootstrapServers"], metadata["bootstrapServers"]);
        Assert.True(int.Parse(metadata["lagThreshold"], System.Globalization.CultureInfo.InvariantCulture) > 0);

        var partitions = Yaml.Int(objects.Single(o => o.Kind == "KafkaTopic" && o.Name == metadata["topic"])["spec", "partitions"])!.Value;
        var min = Yaml.Int(scaled["spec", "minReplicaCount"])!.Value;
        var max = Yaml.Int(scaled["spec", "maxReplicaCount"])!.Value;
        Assert.InRange(max, Math.Max(min, 1), partitions);
    }

    [KubectlFact]
    public void ProdKedaReadsKafkaAsTheSilosUserOverTls()
    {
        var objects = Kustomize.Render("prod");
        var settings = Yaml.StringMap(objects.Single(o => o.Kind == "ConfigMap" && o.Name == "hymirec-silo")["data"])!;
        var kafka = Yaml.Items(objects.Single(o => o.Kind == "ScaledObject")["spec", "triggers"]).Single(t => Yaml.Text(Yaml.At(t, "type")) == "kafka");
        Assert.Equal("scram_sha512", Yaml.Text(Yaml.At(kafka, "metadata", "sasl")));
        Assert.Equal("SCRAM-SHA-512", settings["Kafka__Settings__sasl.mechanism"]);
        Assert.Equal("enable", Yaml.Text(Yaml.At(kafka, "metadata", "tls")));
        Assert.Equal("SASL_SSL", settings["Kafka__Settings__security.protocol"]);

        var auth = objects.Single(o => o.Kind == "TriggerAuthentication" && o.Name == Yaml.Text(Yaml.At(kafka, "authenticationRef", "name")));
        var secrets = Yaml.Items(auth["spec", "secretTargetRef"]).ToDictionary(e => Yaml.Text(Yaml.At(e, "parameter"))!, e => Yaml.Text(Yaml.At(e, "name")));
        var user = objects.Single(o => o.Kind == "KafkaUser");
        Assert.Equal(user.Name, secrets["password"]);
        Assert.Equal("hymirec-kafka-cluster-ca-cert", secrets["ca"]);
        var username = Yaml.Items(auth["spec", "env"]).Single(e => Yaml.Text(Yaml.At(e, "parameter")) == "username");
        Assert.Equal(user.Name, settings[Yaml.Text(Yaml.At(username, "name"))!]);
    }

    [KubectlFact]
    public void DevKeepsTheCpuAutoscalerAndNoKeda()
    {
        var objects = Kustomize.Render("dev");
        var hpa = objects.Single(o => o.Kind == "HorizontalPodAutoscaler");
        Assert.Equal("hymirec-silo", Yaml.Text(hpa["spec", "scaleTargetRef", "name"]));
        Assert.DoesNotContain(objects, o => o.ApiVersion.StartsWith("keda.sh/", StringComparison.Ordinal));
    }
}
