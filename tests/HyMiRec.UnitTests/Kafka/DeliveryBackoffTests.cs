using HyMiRec.Kafka.Streaming;

namespace HyMiRec.UnitTests.Kafka;

public sealed class DeliveryBackoffTests
{
    [Fact]
    public void WaitsDoubleFromATenthOfASecondUpToTheCap()
    {
        var backoff = new DeliveryBackoff(TimeSpan.FromSeconds(2));
        var waits = Enumerable.Range(0, 12).Select(a => backoff.Next(a).TotalMilliseconds).ToArray();

        // Each wait is its nominal value less up to 20 % jitter.
        double[] nominal = [100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000, 2000, 2000];
        Assert.All(waits.Zip(nominal), p => Assert.InRange(p.First, p.Second * 0.8, p.Second));
    }

    [Fact]
    public void ACapBelowTheFirstWaitIsRaisedToIt() =>
        Assert.InRange(new DeliveryBackoff(TimeSpan.FromMilliseconds(1)).Next(5).TotalMilliseconds, 80, 100);
}
