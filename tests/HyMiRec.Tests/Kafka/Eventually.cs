namespace HyMiRec.Tests.Kafka;

/// <summary>Waits for a condition with a deadline; fails with a description of what was still missing.</summary>
internal static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s: {describe()}");
            }

            await timer.WaitForNextTickAsync();
        }
    }
}
