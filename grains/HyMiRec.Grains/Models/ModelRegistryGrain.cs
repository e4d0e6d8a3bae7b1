using HyMiRec.Interfaces;

namespace HyMiRec.Grains.Models;

/// <summary>Holds the published model version and artifact path; silos follow it (see <see cref="ModelLifecycle"/>).</summary>
public sealed class ModelRegistryGrain(
    [PersistentState("registry", StorageNames.Models)] IPersistentState<ModelRegistryState> state) : Grain, IModelRegistryGrain
{
    public Task<ModelRegistration?> GetCurrentAsync() => Task.FromResult(state.State.Current);

    public async Task PublishAsync(ModelRegistration registration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.ModelVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.ArtifactDirectory);
        state.State.Current = registration;
        await state.WriteStateAsync();
    }
}
