namespace HyMiRec.IntegrationTests.Serving;

/// <summary>One silo with authentication on (as deployed) and the dashboard mapped, for the authorization tests.</summary>
public sealed class AuthSiloFixture : IAsyncLifetime
{
    private ServingSilo? _silo;

    internal ServingSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        _silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Dashboard:Enabled"] = "true" });

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
