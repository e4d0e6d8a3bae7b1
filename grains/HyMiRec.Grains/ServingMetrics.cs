using System.Diagnostics.Metrics;
using HyMiRec.Model.Serving;

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
    /// Per click: time from the moment it entered Kafka (the message timestamp; for clicks posted straight to a silo
    /// without Kafka, the moment the grain got it) to the interest update that first covers it.
    /// </summary>
    public static readonly Histogram<double> ClickToInterestMs =
        Meter.CreateHistogram<double>("hymirec.user.click_to_interest", "ms", "Time from a click entering the log to the interest update covering it");

    /// <summary>
    /// Per click: from the moment it entered Kafka to its append being durable in the user's history (delivery and
    /// journal); the rest of <see cref="ClickToInterestMs"/> is the recompute.
    /// </summary>
    public static readonly Histogram<double> ClickToHistoryMs =
        Meter.CreateHistogram<double>("hymirec.user.click_to_history", "ms", "Time from a click entering the log to its append being durable");

    /// <summary>Per click: age of the click's own timestamp when its interest update happened (replays of old data read as years).</summary>
    public static readonly Histogram<double> EventTimeLagMs =
        Meter.CreateHistogram<double>("hymirec.user.event_time_lag", "ms", "Time from a click's own timestamp to the interest update covering it");

    public static readonly Histogram<int> JournalFlushSize =
        Meter.CreateHistogram<int>("hymirec.journal.flush_size", "{append}", "Grain appends committed in one PostgreSQL transaction");

    public static readonly Histogram<double> JournalFlushMs =
        Meter.CreateHistogram<double>("hymirec.journal.flush_duration", "ms", "Duration of one group commit of the user journal");

    public static readonly Counter<long> InferenceRefused =
        Meter.CreateCounter<long>("hymirec.inference.refused", "{request}", "Interest requests refused because the inference queue was full");

    public static readonly Counter<long> EventsApplied =
        Meter.CreateCounter<long>("hymirec.user.events_applied", "{event}", "Click events appended to user histories");

    /// <summary>Per activation: whether stored interests served it ("current", "behind" the history), or not ("none", "unusable").</summary>
    public static readonly Counter<long> SnapshotLoads =
        Meter.CreateCounter<long>("hymirec.user.snapshot_loads", "{activation}", "Activations by what their stored interest snapshot gave them");

    public static readonly Counter<long> EventsDuplicate =
        Meter.CreateCounter<long>("hymirec.user.events_duplicate", "{event}", "Click events skipped as already applied (Kafka offset)");

    /// <summary>History events of keyed interest requests, by whether the model's kept states served them ("reused") or the pass computed them ("computed").</summary>
    public static readonly Counter<long> HistoryEvents =
        Meter.CreateCounter<long>("hymirec.inference.history_events", "{event}", "History events per interest pass, reused from kept states or computed");

    /// <summary>Adds what one forward pass reused and computed (the difference of the model's cumulative figures).</summary>
    public static void RecordHistoryStates(HistoryStateStats before, HistoryStateStats after)
    {
        if (after.ReusedEvents > before.ReusedEvents)
        {
            HistoryEvents.Add(after.ReusedEvents - before.ReusedEvents, new KeyValuePair<string, object?>("source", "reused"));
        }

        if (after.ComputedEvents > before.ComputedEvents)
        {
            HistoryEvents.Add(after.ComputedEvents - before.ComputedEvents, new KeyValuePair<string, object?>("source", "computed"));
        }
    }
}
