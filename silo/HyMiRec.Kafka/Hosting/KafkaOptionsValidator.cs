using Microsoft.Extensions.Options;

namespace HyMiRec.Kafka.Hosting;

/// <summary>The rules of <see cref="KafkaOptions"/> that its annotations cannot say; the annotations check each value.</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    /// <summary>librdkafka settings the provider sets itself: a pass-through value would silently change its offset handling.</summary>
    private static readonly string[] ManagedSettings = ["bootstrap.servers", "group.id", "enable.auto.commit", "enable.auto.offset.store"];

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var errors = new List<string>();
        if (string.Equals(options.ClickTopic, options.DeadLetterTopic, StringComparison.Ordinal))
        {
            errors.Add($"{KafkaOptions.Section}:{nameof(KafkaOptions.DeadLetterTopic)} must differ from {KafkaOptions.Section}:{nameof(KafkaOptions.ClickTopic)} ('{options.ClickTopic}').");
        }

        foreach (var key in options.Settings.Keys.Where(ManagedSettings.Contains))
        {
            errors.Add($"{KafkaOptions.Section}:Settings:{key} is managed by the provider; use {KafkaOptions.Section}:{nameof(KafkaOptions.BootstrapServers)} / {nameof(KafkaOptions.ConsumerGroup)} instead.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
