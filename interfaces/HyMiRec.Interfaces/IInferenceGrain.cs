namespace HyMiRec.Interfaces;

/// <summary>
/// Stateless worker that tells what the local silo's loaded model is (user grains call the silo's model host
/// directly). It holds no model itself.
/// </summary>
public interface IInferenceGrain : IGrainWithIntegerKey
{
    Task<ModelInfo> GetModelInfoAsync();
}
