namespace HyMiRec.Tests.Serving;

/// <summary>One silo with authentication on (as deployed) and the dashboard mapped, for the authorization tests.</summary>
public sealed class AuthSiloFixture : IAsyncLifetime
{
    private ServingSilo? _silo;

    internal ServingSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Dashboard:Enabled"] = "true" });

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
