using TorchSharp;

namespace HyMiRec.Model.Modules;

/// <summary>
/// Long-lived scalars for the hottest element-wise calls. An implicitly converted scalar can be finalised by the GC
/// while the native call that received its handle still runs; one such use-after-free ("Unknown scalar type" in
/// ne(0)) ended a benchmark. Static instances are never collected.
/// </summary>
public static class Scalars
{
    public static readonly Scalar Zero = 0;

    public static readonly Scalar One = 1;

    public static readonly Scalar MinusOne = -1;

    public static readonly Scalar Two = 2;

    public static readonly Scalar NegativeInfinity = float.NegativeInfinity;
}
