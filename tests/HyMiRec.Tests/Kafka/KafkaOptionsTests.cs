using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyMiRec.Tests.Kafka;

public sealed class KafkaOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = new KafkaOptions();
        Assert.Empty(options.Validate());
        Assert.Equal("clicks", options.ClickTopic);
        Assert.Equal("clicks.dlq", options.DeadLetterTopic);
    }

    [Fact]
    public void Every_problem_is_reported()
    {
        var options = new KafkaOptions
        {
            ClickTopic = "same",
            DeadLetterTopic = "same",
            ConsumerGroup = " ",
            MaxBatchSize = 0,
            MaxMessageBytes = -1,
            DeliveryRetryMaxMs = 0,
            Settings = { ["group.id"] = "x" },
        };
        var errors = options.Validate();
        Assert.Contains(errors, e => e.Contains("DeadLetterTopic must differ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ConsumerGroup", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxMessageBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("DeliveryRetryMaxMs", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Settings:group.id", StringComparison.Ordinal));
    }

    [Fact]
    public void The_section_binds_including_pass_through_settings_and_validation_fails_on_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "broker:9092",
            ["Kafka:MaxBatchSize"] = "0",
            ["Kafka:Settings:security.protocol"] = "SASL_SSL",
            ["Kafka:Settings:sasl.mechanism"] = "SCRAM-SHA-512",
        }).Build();
        var services = new ServiceCollection();
        services.AddOptions<KafkaOptions>().Bind(configuration.GetSection(KafkaOptions.SectionName));
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KafkaOptions>>().Value);
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);

        var bound = new KafkaOptions();
        configuration.GetSection(KafkaOptions.SectionName).Bind(bound);
        Assert.Equal("broker:9092", bound.BootstrapServers);
        Assert.Equal("SASL_SSL", bound.Settings["security.protocol"]);
        Assert.Equal("SCRAM-SHA-512", bound.Settings["sasl.mechanism"]);
    }
}
