using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>A detached copy of a module's weights at its best validation so far, restored when training ends.</summary>
public sealed class BestWeights : IDisposable
{
    private Dictionary<string, Tensor>? _state;

    public void Capture(nn.Module module)
    {
        Dispose();
        _state = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    /// <summary>Loads the captured weights into <paramref name="module"/>, if any were captured.</summary>
    public void Restore(nn.Module module)
    {
        if (_state is not null)
        {
            module.load_state_dict(_state);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _state?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }

        _state = null;
    }
}
