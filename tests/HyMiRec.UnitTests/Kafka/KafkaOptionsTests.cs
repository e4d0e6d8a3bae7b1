using HyMiRec.Kafka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyMiRec.UnitTests.Kafka;

public sealed class KafkaOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = new KafkaOptions();
        Assert.Empty(Problems(options));
        Assert.Equal("clicks", options.ClickTopic);
        Assert.Equal("clicks.dlq", options.DeadLetterTopic);
        Assert.False(options.Enabled);
    }

    [Fact]
    public void Every_problem_is_reported_naming_its_key()
    {
        var options = new KafkaOptions
        {
            ClickTopic = "same",
            DeadLetterTopic = "same",
            ConsumerGroup = " ",
            MaxBatchSize = 0,
            MaxMessageBytes = -1,
            DeliveryRetryMaxMs = 0,
            DeliveryRetryLimitSeconds = -1,
            MaxFutureSkew = TimeSpan.Zero,
            Settings = { ["group.id"] = "x" },
        };
        var errors = Problems(options);
        Assert.Contains(errors, e => e.Contains("Kafka:DeadLetterTopic must differ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:ConsumerGroup", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:MaxBatchSize must be at least 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:MaxMessageBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:DeliveryRetryMaxMs", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:DeliveryRetryLimitSeconds", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:MaxFutureSkew must be positive", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:Settings:group.id", StringComparison.Ordinal));
    }

    [Fact]
    public void The_section_binds_including_enabled_and_pass_through_settings_and_validation_fails_on_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Enabled"] = "true",
            ["Kafka:BootstrapServers"] = "broker:9092",
            ["Kafka:MaxBatchSize"] = "0",
            ["Kafka:Settings:security.protocol"] = "SASL_SSL",
            ["Kafka:Settings:sasl.mechanism"] = "SCRAM-SHA-512",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KafkaOptions>>().Value);
        Assert.Contains("Kafka:MaxBatchSize", error.Message, StringComparison.Ordinal);

        var bound = new KafkaOptions();
        configuration.GetSection(KafkaOptions.Section).Bind(bound);
        Assert.True(bound.Enabled);
        Assert.True(KafkaOptions.IsEnabled(configuration));
        Assert.Equal("broker:9092", bound.BootstrapServers);
        Assert.Equal("SASL_SSL", bound.Settings["security.protocol"]);
        Assert.Equal("SCRAM-SHA-512", bound.Settings["sasl.mechanism"]);
    }

    /// <summary>What the silo checks at start: the annotations, then the validator's cross-field rules.</summary>
    private static List<string> Problems(KafkaOptions options) =>
    [
        .. new DataAnnotationValidateOptions<KafkaOptions>(null).Validate(null, options).Failures ?? [],
        .. new KafkaOptionsValidator().Validate(null, options).Failures ?? [],
    ];
}
