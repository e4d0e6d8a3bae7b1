using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyMiRec.IntegrationTests.Kafka;

public sealed class KafkaConnectionTests
{
    [Fact]
    public void Empty_bootstrap_servers_start_an_embedded_cluster_with_the_topics_and_log_its_address()
    {
        var logger = new RecordingLogger();
        var options = Options.Create(new KafkaOptions { ClickTopic = "c", DeadLetterTopic = "c.dlq", Partitions = 3 });
        using var connection = new KafkaConnection(options, logger);

        Assert.True(connection.IsEmbedded);
        var bootstrap = connection.BootstrapServers;
        Assert.False(string.IsNullOrWhiteSpace(bootstrap));
        Assert.Equal(3, connection.GetClickPartitionCount());
        var warning = Assert.Single(logger.Messages);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(bootstrap, warning.Text, StringComparison.Ordinal);
        Assert.Contains("EMBEDDED", warning.Text, StringComparison.Ordinal);
        Assert.Equal(bootstrap, connection.CreateConsumerConfig("x").BootstrapServers);
    }

    [Fact]
    public void Pass_through_settings_reach_the_clients_but_group_and_commit_stay_managed()
    {
        var options = Options.Create(new KafkaOptions
        {
            BootstrapServers = "broker:9092",
            ConsumerGroup = "g",
            Settings = { ["security.protocol"] = "SASL_SSL", ["auto.offset.reset"] = "latest" },
        });
        using var connection = new KafkaConnection(options, new RecordingLogger());
        var consumer = connection.CreateConsumerConfig("c");
        Assert.Equal("SASL_SSL", consumer.Get("security.protocol"));
        Assert.Equal(Confluent.Kafka.AutoOffsetReset.Latest, consumer.AutoOffsetReset);
        Assert.Equal("g", consumer.GroupId);
        Assert.False(consumer.EnableAutoOffsetStore);
        Assert.Equal("SASL_SSL", connection.CreateProducerConfig("p").Get("security.protocol"));
    }

    private sealed class RecordingLogger : ILogger<KafkaConnection>
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}
