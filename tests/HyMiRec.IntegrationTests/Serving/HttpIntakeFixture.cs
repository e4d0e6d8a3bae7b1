using HyMiRec.IntegrationTests.Kafka;

namespace HyMiRec.IntegrationTests.Serving;

/// <summary>An embedded Kafka and one ServingSilo reading it, shared by a test class (each test uses its own users).</summary>
public sealed class HttpIntakeFixture : IAsyncLifetime
{
    private KafkaTestBed? _bed;
    private ServingSilo? _silo;

    internal KafkaTestBed Bed => _bed ?? throw new InvalidOperationException("not started");

    internal ServingSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _bed = KafkaTestBed.Start("intake", partitions: 2);
        _silo = await ServingSilo.StartAsync(_bed.SiloSettings());
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}
