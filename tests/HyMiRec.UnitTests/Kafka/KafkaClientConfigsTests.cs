using Confluent.Kafka;

namespace HyMiRec.UnitTests.Kafka;

public sealed class KafkaClientConfigsTests
{
    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["security.protocol"] = "SASL_SSL",
        ["enable.idempotence"] = "false",
        ["group.id"] = "someone-elses",
    };

    [Fact]
    public void Pass_through_settings_reach_every_client_but_cannot_override_the_role()
    {
        var producer = KafkaClientConfigs.Producer("broker:9092", "p", Settings);
        Assert.Equal("SASL_SSL", producer.Get("security.protocol"));
        Assert.True(producer.EnableIdempotence);
        Assert.Equal(Acks.All, producer.Acks);
        Assert.Equal("broker:9092", producer.BootstrapServers);

        var consumer = KafkaClientConfigs.Consumer("broker:9092", "c", "hymirec-silo", Settings);
        Assert.Equal("SASL_SSL", consumer.Get("security.protocol"));
        Assert.Equal("hymirec-silo", consumer.GroupId);
        Assert.Equal("c", consumer.ClientId);

        var admin = KafkaClientConfigs.Admin("broker:9092", "a", Settings);
        Assert.Equal("SASL_SSL", admin.Get("security.protocol"));
        Assert.Equal("a", admin.ClientId);
    }

    [Fact]
    public void The_callers_settings_are_not_changed()
    {
        var settings = new Dictionary<string, string>(Settings, StringComparer.Ordinal);
        var producer = KafkaClientConfigs.Producer("broker:9092", "p", settings);
        producer.LingerMs = 5;
        Assert.Equal(Settings.OrderBy(kv => kv.Key), settings.OrderBy(kv => kv.Key));
    }
}
