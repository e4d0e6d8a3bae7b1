using HyMiRec.Model.Runtime;

namespace HyMiRec.UnitTests.Runtime;

public sealed class NativeHeapTests
{
    [Fact]
    public void GlibcTakesTheSettingsThatKeepFreedMemoryForTheNextPass()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && (File.Exists("/lib/x86_64-linux-gnu/libc.so.6") || File.Exists("/lib/aarch64-linux-gnu/libc.so.6")),
            "needs Linux with glibc (mallopt)");

        Assert.True(NativeHeap.KeepFreedMemory());
        Assert.True(NativeHeap.KeepFreedMemory()); // applied once, answered again
    }
}
