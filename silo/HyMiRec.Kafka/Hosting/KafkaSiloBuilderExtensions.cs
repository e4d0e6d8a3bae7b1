using HyMiRec.Interfaces;
using HyMiRec.Kafka.Events;
using HyMiRec.Kafka.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Providers;
using Orleans.Streams;

namespace HyMiRec.Kafka.Hosting;

public static class KafkaSiloBuilderExtensions
{
    /// <summary>Adds the Kafka click stream provider (<see cref="StreamNames.ClickProvider"/>) bound to the "Kafka" section.</summary>
    public static ISiloBuilder AddKafkaClickStreams(this ISiloBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section);
        return builder.AddKafkaClickStreamsCore();
    }

    /// <summary>Adds the Kafka click stream provider configured in code (benchmarks), validated like the bound one.</summary>
    public static ISiloBuilder AddKafkaClickStreams(this ISiloBuilder builder, Action<KafkaOptions> configure)
    {
        builder.Services.AddOptions<KafkaOptions>().Configure(configure);
        return builder.AddKafkaClickStreamsCore();
    }

    private static ISiloBuilder AddKafkaClickStreamsCore(this ISiloBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>().ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        builder.Services.TryAddSingleton<KafkaConnection>();
        builder.Services.TryAddSingleton<KafkaProducer>();
        builder.Services.AddSingleton<IClickDeadLetters, KafkaClickDeadLetters>();
        // With Kafka the HTTP API's clicks go through the click topic like every other click (docs/events.md).
        builder.Services.TryAddSingleton<IClickLog, KafkaClickLog>();
        // User grains subscribe implicitly by namespace, so no pub-sub grain storage is needed.
        return builder.AddPersistentStreams(
            StreamNames.ClickProvider,
            KafkaQueueAdapterFactory.Create,
            configurator =>
            {
                configurator.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);

                // Orleans' default gives up on a failing delivery after a minute; the cache then purges the click and
                // its offset is committed, so an outage of the grain storage would silently drop clicks.
                configurator.ConfigurePullingAgent(agent => agent.Configure<IOptions<KafkaOptions>>((o, kafka) =>
                {
                    o.MaxEventDeliveryTime = kafka.Value.DeliveryRetryLimitSeconds == 0
                        ? Timeout.InfiniteTimeSpan
                        : TimeSpan.FromSeconds(kafka.Value.DeliveryRetryLimitSeconds);
                    // Orleans reads a queue every 100 ms by default: a fixed wait on every click's path.
                    o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(kafka.Value.PollIntervalMs);
                }));
                configurator.ConfigureBackoffProvider((services, _) => (IMessageDeliveryBackoffProvider)new DeliveryBackoff(
                    TimeSpan.FromMilliseconds(services.GetRequiredService<IOptions<KafkaOptions>>().Value.DeliveryRetryMaxMs)));
            });
    }
}
