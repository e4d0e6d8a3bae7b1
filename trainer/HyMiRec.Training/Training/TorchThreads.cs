using HyMiRec.Model.Runtime;
using static TorchSharp.torch;

namespace HyMiRec.Training.Training;

/// <summary>
/// libtorch splits CPU reductions over its intra-op threads, so the thread count decides the order in which
/// floating-point partial sums are added, and with it the last bits of every result. A reproducible run fixes the
/// count, and the log records it together with the CPU kernel family (ATEN_CPU_CAPABILITY), the other input that
/// changes results between hosts.
/// </summary>
public static class TorchThreads
{
    public const string CapabilityVariable = "ATEN_CPU_CAPABILITY";

    public static void Apply(int? threads, ITrainingReporter reporter)
    {
        if (threads is { } count)
        {
            if (count < 1)
            {
                throw new UsageException("--threads must be at least 1");
            }

            set_num_threads(count);
        }

        // Training allocates and frees the same large activations every step, as serving does every pass.
        var heap = NativeHeap.KeepFreedMemory() ? "C heap keeps freed memory" : "C heap left as it is";
        var capability = Environment.GetEnvironmentVariable(CapabilityVariable);
        reporter.Message("torch", $"{get_num_threads()} intra-op threads, CPU kernels " +
            (string.IsNullOrEmpty(capability) ? $"picked by libtorch for this CPU ({CapabilityVariable} unset)" : $"{CapabilityVariable}={capability}") +
            $", {heap}");
    }
}
