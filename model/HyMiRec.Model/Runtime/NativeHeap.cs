using System.Runtime.InteropServices;

namespace HyMiRec.Model.Runtime;

/// <summary>
/// libtorch takes its CPU tensors from glibc's malloc. With glibc's defaults a forward pass's larger buffers are
/// mapped and unmapped (or trimmed off the heap) pass after pass, so each pass page-faults and zeroes its working memory
/// again and the cost per user grows with the batch (docs/benchmarks-kafka.md, "Native memory"). Keeping freed memory
/// in the process (a high trim threshold and top pad, and glibc's largest fixed mmap threshold) lets the next pass
/// reuse it; the price is that the process keeps the peak of its native buffers. Training steps gain the same way
/// (the trainer applies it too; docs/benchmarks.md, "Faster HyMiRec steps"). Process-wide; a no-op where the C
/// library is not glibc.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2; // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    private static readonly Lazy<bool> Applied = new(Apply);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallOpt(int parameter, int value);

    /// <summary>Applies the settings once; true when glibc took all of them.</summary>
    public static bool KeepFreedMemory() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc))
        {
            return false;
        }

        if (!NativeLibrary.TryGetExport(libc, "mallopt", out var export))
        {
            return false;
        }

        var mallopt = Marshal.GetDelegateForFunctionPointer<MallOpt>(export);
        // mallopt answers 1 on success. 32 MiB is the largest mmap threshold glibc accepts on 64-bit.
        return mallopt(MmapThreshold, 32 << 20) == 1
            & mallopt(TrimThreshold, 512 << 20) == 1
            & mallopt(TopPad, 64 << 20) == 1;
    }
}
