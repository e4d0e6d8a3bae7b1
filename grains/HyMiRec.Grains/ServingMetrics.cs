using System.Diagnostics.Metrics;

namespace HyMiRec.Grains;

/// <summary>The serving side's own instruments (meter "HyMiRec.Serving"); the silo exports them through OpenTelemetry.</summary>
public static class ServingMetrics
{
    public const string MeterName = "HyMiRec.Serving";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<int> InferenceBatchSize =
        Meter.CreateHistogram<int>("hymirec.inference.batch_size", "{request}", "Requests per batched forward pass");

    public static readonly Histogram<double> InferenceBatchMs =
        Meter.CreateHistogram<double>("hymirec.inference.batch_duration", "ms", "Duration of one batched forward pass");

    public static readonly Histogram<double> RecomputeMs =
        Meter.CreateHistogram<double>("hymirec.user.recompute_duration", "ms", "Interest recompute latency seen by a user grain");

    /// <summary>
    /// Per click: time from the click's own timestamp to the persisted interest update that first covers it. The
    /// timestamp is the producer's clock, so across machines this includes their clock skew; replayed clicks with
    /// historical timestamps record their age, not a latency.
    /// </summary>
    public static readonly Histogram<double> ClickToInterestMs =
        Meter.CreateHistogram<double>("hymirec.user.click_to_interest", "ms", "Time from a click's timestamp to the interest update covering it");

    public static readonly Counter<long> EventsApplied =
        Meter.CreateCounter<long>("hymirec.user.events_applied", "{event}", "Click events appended to user histories");

    public static readonly Counter<long> EventsDuplicate =
        Meter.CreateCounter<long>("hymirec.user.events_duplicate", "{event}", "Click events skipped as already applied (Kafka offset)");
}
