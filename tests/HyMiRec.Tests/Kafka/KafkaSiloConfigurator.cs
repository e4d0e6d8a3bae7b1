using HyMiRec.Kafka.Hosting;
using Orleans.TestingHost;

namespace HyMiRec.Tests.Kafka;

/// <summary>Adds the Kafka click provider to each test silo from the "Kafka" properties of the test cluster.</summary>
public sealed class KafkaSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.AddKafkaClickStreams(siloBuilder.Configuration.GetSection(KafkaOptions.SectionName));
}
