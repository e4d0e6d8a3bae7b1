using HyMiRec.Interfaces;
using Orleans.Concurrency;

namespace HyMiRec.Grains.Inference;

/// <summary>
/// Stateless worker: runs on the caller's silo and reports what that silo's <see cref="InterestModelHost"/> serves.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class InferenceGrain(InterestModelHost host) : Grain, IInferenceGrain
{
    public async Task<ModelInfo> GetModelInfoAsync()
    {
        await host.Ready;
        return host.Info;
    }
}
