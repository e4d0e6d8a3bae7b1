using HyMiRec.Model.Serving;

namespace HyMiRec.Grains.Inference;

/// <summary>
/// A loaded model with a reference count: the host holds one reference, every in-flight call another, so a
/// replaced model is disposed only after the last call on it has finished.
/// </summary>
internal sealed class ModelLease
{
    private int _references = 1;

    public ModelLease(IInterestModel model)
    {
        Model = model;
    }

    public IInterestModel Model { get; }

    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Model.Dispose();
        }
    }
}
