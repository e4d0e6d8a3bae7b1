using HyMiRec.Interfaces;
using Orleans.Concurrency;

namespace HyMiRec.Grains.Inference;

/// <summary>
/// Stateless worker: runs on the caller's silo and hands every call to that silo's <see cref="InterestModelHost"/>,
/// whose queue turns concurrent calls into batched forward passes.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class InferenceGrain(InterestModelHost host) : Grain, IInferenceGrain
{
    public async Task<ModelInfo> GetModelInfoAsync()
    {
        await host.Ready;
        return host.Info;
    }

    public async Task<EncodedItems> EncodeAsync(IReadOnlyList<string> itemIds)
    {
        await host.Ready;
        return host.Encode(itemIds);
    }

    public async Task<InterestsResult> ComputeAsync(InferenceInput input)
    {
        await host.Ready;
        return await host.ComputeAsync(input);
    }

    public async Task<IReadOnlyList<RecommendationView>> RecommendAsync(InterestsResult interests, int k, IReadOnlyList<int> exclude)
    {
        await host.Ready;
        return host.Recommend(interests, k, exclude);
    }
}
