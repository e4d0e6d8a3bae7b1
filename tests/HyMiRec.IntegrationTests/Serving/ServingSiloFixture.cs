namespace HyMiRec.IntegrationTests.Serving;

/// <summary>One silo (memory storage, memory streams, history cap 16, recompute on every event) for a test class.</summary>
public sealed class ServingSiloFixture : IAsyncLifetime
{
    public const int HistoryCap = 16;

    private ServingSilo? _silo;

    internal ServingSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        _silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:HistoryCap"] = HistoryCap.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
