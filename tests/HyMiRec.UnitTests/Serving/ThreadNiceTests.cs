using System.Globalization;
using HyMiRec.Model.Serving;

namespace HyMiRec.UnitTests.Serving;

public sealed class ThreadNiceTests
{
    [Fact]
    public void TheCallingThreadTakesTheNiceValueAndOtherThreadsKeepTheirs()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/proc/self/stat") && ThreadNice.CurrentThreadId() > 0,
            "needs Linux with glibc (gettid, setpriority) and /proc");

        var before = NiceOf(ThreadNice.CurrentThreadId());
        var target = Math.Min(19, before + 7);
        var (taken, tid, after) = (false, 0, -1);
        var thread = new Thread(() =>
        {
            tid = ThreadNice.CurrentThreadId();
            taken = ThreadNice.SetForCurrentThread(target);
            after = NiceOf(tid); // read while the thread lives: its /proc entry goes when it ends
        });
        thread.Start();
        thread.Join();

        Assert.True(taken);
        Assert.Equal(target, after);
        Assert.NotEqual(ThreadNice.CurrentThreadId(), tid);
        Assert.Equal(before, NiceOf(ThreadNice.CurrentThreadId()));
    }

    [Fact]
    public void ValuesOutsideTheUnprivilegedRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadNice.SetForCurrentThread(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadNice.SetForCurrentThread(20));
    }

    /// <summary>Field 19 of /proc/self/task/TID/stat; the command name (field 2) may hold spaces, so count from its ')'.</summary>
    private static int NiceOf(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }
}
