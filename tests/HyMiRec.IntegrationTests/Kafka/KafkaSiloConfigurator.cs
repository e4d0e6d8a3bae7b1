using HyMiRec.Kafka.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace HyMiRec.IntegrationTests.Kafka;

/// <summary>Adds the Kafka click provider to each test silo from the "Kafka" properties of the test cluster.</summary>
public sealed class KafkaSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddKafkaClickStreams();

        // These silos test the provider with their own recorder grain; the serving UserGrain (same implicit
        // stream namespace, in the same test assembly) needs a model and storage these silos do not have.
        siloBuilder.Configure<GrainTypeOptions>(o => o.Classes.Remove(typeof(HyMiRec.Grains.Users.UserGrain)));
    }
}
