using HyMiRec.Grains.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HyMiRec.Hosting;

/// <summary>
/// Ready = the silo reached its Active stage and has not begun stopping, and a model is loaded. On shutdown the
/// Active stage stops first, so a load balancer stops sending requests before grains are deactivated.
/// </summary>
public sealed class SiloReadiness(InterestModelHost models) : ILifecycleParticipant<ISiloLifecycle>, IHealthCheck
{
    private volatile bool _active;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active, OnActive, OnStopping);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = (_active, models.IsLoaded) switch
        {
            (true, true) => HealthCheckResult.Healthy($"silo active, model {models.Info.ModelVersion} loaded"),
            (false, _) => HealthCheckResult.Unhealthy("silo is not active (starting or stopping)"),
            (true, false) => HealthCheckResult.Unhealthy("no model loaded"),
        };
        return Task.FromResult(result);
    }

    private Task OnActive(CancellationToken cancellation)
    {
        _active = true;
        return Task.CompletedTask;
    }

    private Task OnStopping(CancellationToken cancellation)
    {
        _active = false;
        return Task.CompletedTask;
    }
}
