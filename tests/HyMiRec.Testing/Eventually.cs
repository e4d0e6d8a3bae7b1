namespace HyMiRec.Testing;

/// <summary>
/// The one way tests wait for something: poll a condition until a deadline (no fixed sleeps), failing with a
/// description of what was still missing, read when the deadline passes.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> describe, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds:0} s waiting for: {describe()}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(condition, () => what, timeout);

    public static Task TrueAsync(Func<bool> condition, Func<string> describe, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), describe, timeout);
}
