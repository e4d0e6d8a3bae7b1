namespace HyMiRec.Interfaces;

/// <summary>The cluster's current model (key 0): silos poll it and switch to a newly published artifact.</summary>
public interface IModelRegistryGrain : IGrainWithIntegerKey
{
    Task<ModelRegistration?> GetCurrentAsync();

    Task PublishAsync(ModelRegistration registration);
}
