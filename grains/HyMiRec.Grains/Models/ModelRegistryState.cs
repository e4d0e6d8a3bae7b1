using HyMiRec.Interfaces;

namespace HyMiRec.Grains.Models;

[GenerateSerializer, Alias("hymirec.model-registry-state.v1")]
public sealed class ModelRegistryState
{
    [Id(0)]
    public ModelRegistration? Current { get; set; }
}
