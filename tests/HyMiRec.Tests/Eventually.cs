namespace HyMiRec.Tests;

/// <summary>Waits for a condition with a deadline (no fixed sleeps), failing with what was still missing.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        TrueAsync(() => Task.FromResult(condition()), "", timeout).ContinueWith(
            t => t.IsFaulted ? throw new Xunit.Sdk.XunitException($"Timed out after {timeout.TotalSeconds:0} s: {describe()}") : t,
            TaskScheduler.Default).Unwrap();
}
