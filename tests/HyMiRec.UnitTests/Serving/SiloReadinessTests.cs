using HyMiRec.Grains.Inference;
using HyMiRec.Model.Serving;
using HyMiRec.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HyMiRec.UnitTests.Serving;

/// <summary>Readiness follows the silo's Active stage and the loaded model, in both directions.</summary>
public sealed class SiloReadinessTests
{
    [Fact]
    public async Task ReadyOnlyWhileActiveWithAModel()
    {
        await using var models = new InterestModelHost(Options.Create(new InferenceOptions()), NullLogger<InterestModelHost>.Instance);
        var readiness = new SiloReadiness(models);
        var lifecycle = new RecordingLifecycle();
        readiness.Participate(lifecycle);
        var (stage, observer) = Assert.Single(lifecycle.Observers);
        Assert.Equal(ServiceLifecycleStage.Active, stage);

        await AssertUnhealthyAsync(readiness, "not active");
        await observer.OnStart(CancellationToken.None);
        await AssertUnhealthyAsync(readiness, "no model");
        models.Start(InterestModelStore.Load(TestModel.Directory));
        var ready = await readiness.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.Contains(models.Info.ModelVersion, ready.Description, StringComparison.Ordinal);

        await observer.OnStop(CancellationToken.None);
        await AssertUnhealthyAsync(readiness, "not active");
    }

    private static async Task AssertUnhealthyAsync(SiloReadiness readiness, string reason)
    {
        var result = await readiness.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains(reason, result.Description, StringComparison.Ordinal);
    }

    private sealed class RecordingLifecycle : ISiloLifecycle
    {
        public List<(int Stage, ILifecycleObserver Observer)> Observers { get; } = [];

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            Observers.Add((stage, observer));
            return new NoUnsubscribe();
        }

        private sealed class NoUnsubscribe : IDisposable
        {
            public void Dispose()
            {
                // Subscriptions live as long as this test's lifecycle.
            }
        }
    }
}
