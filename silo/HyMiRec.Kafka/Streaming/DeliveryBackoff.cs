using Orleans.Runtime.Providers;

namespace HyMiRec.Kafka.Streaming;

/// <summary>
/// How long a pulling agent waits before delivering a click again after a failed delivery: doubling from 100 ms up
/// to <c>Kafka:DeliveryRetryMaxMs</c>. Orleans' default doubles from 1 s up to 30 s, so a user whose grain lived on a
/// silo that died waited up to 30 s more after the cluster had declared that silo dead, and fewer retries fitted into
/// Orleans' MaxEventDeliveryTime (1 min), after which the click is given up.
/// </summary>
internal sealed class DeliveryBackoff(TimeSpan max) : IMessageDeliveryBackoffProvider
{
    private const double FirstMs = 100;

    private readonly double _maxMs = Math.Max(FirstMs, max.TotalMilliseconds);

    public TimeSpan Next(int attempt)
    {
        var ms = Math.Min(_maxMs, FirstMs * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        // Up to 20 % less, so the many streams whose grains failed together do not all retry in the same instant.
        return TimeSpan.FromMilliseconds(ms * (1 - (0.2 * Random.Shared.NextDouble())));
    }
}
