namespace HyMiRec.Interfaces;

/// <summary>
/// Stateless worker in front of the silo's loaded model: calls from many user grains are queued and run as one
/// batched forward pass. It holds no model itself.
/// </summary>
public interface IInferenceGrain : IGrainWithIntegerKey
{
    Task<ModelInfo> GetModelInfoAsync();

    /// <summary>Codes and magnitudes for external item ids; unknown ids come back with index 0 and no codes.</summary>
    Task<EncodedItems> EncodeAsync(IReadOnlyList<string> itemIds);

    Task<InterestsResult> ComputeAsync(InferenceInput input);

    Task<IReadOnlyList<RecommendationView>> RecommendAsync(InterestsResult interests, int k, IReadOnlyList<int> exclude);
}
