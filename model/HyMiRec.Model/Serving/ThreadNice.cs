using System.Runtime.InteropServices;

namespace HyMiRec.Model.Serving;

/// <summary>
/// Linux schedules each thread with its own nice value. A forward pass is throughput work that can wait a few
/// milliseconds; the garbage collector, grain turns, Kafka reads and HTTP requests are latency work that every caller
/// waits on. On a small node they share the cores, so the inference thread raises its own nice value and the
/// scheduler gives the others the core first whenever both want it. Raising nice needs no privilege; lowering it
/// again does, so this is one-way for the thread. A no-op where the C library is not glibc.
/// </summary>
public static class ThreadNice
{
    private const int PrioProcess = 0; // PRIO_PROCESS: with a thread id, that thread only

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetTid();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetPriority(int which, int who, int priority);

    /// <summary>Sets the calling thread's nice value (0 to 19); true when the kernel took it.</summary>
    public static bool SetForCurrentThread(int nice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "gettid", out var gettid)
            || !NativeLibrary.TryGetExport(libc, "setpriority", out var setpriority))
        {
            return false;
        }

        var tid = Marshal.GetDelegateForFunctionPointer<GetTid>(gettid)();
        return Marshal.GetDelegateForFunctionPointer<SetPriority>(setpriority)(PrioProcess, tid, nice) == 0;
    }

    /// <summary>The calling thread's kernel id (for checks against /proc/self/task), or -1 off glibc.</summary>
    public static int CurrentThreadId() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "gettid", out var gettid)
            ? Marshal.GetDelegateForFunctionPointer<GetTid>(gettid)()
            : -1;
}
