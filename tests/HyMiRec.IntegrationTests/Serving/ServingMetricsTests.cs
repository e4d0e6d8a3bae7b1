using System.Diagnostics.Metrics;
using HyMiRec.Grains;
using HyMiRec.Interfaces;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class ServingMetricsTests(ServingSiloFixture fixture) : IClassFixture<ServingSiloFixture>
{
    [Fact]
    public async Task ServingMetricsRecordBatchesAndRecomputes()
    {
        var batchSizes = new List<int>();
        var recomputes = 0;
        var history = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "hymirec.inference.batch_size")
            {
                lock (batchSizes)
                {
                    batchSizes.Add(value);
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "hymirec.user.recompute_duration")
            {
                Interlocked.Increment(ref recomputes);
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "hymirec.inference.history_events")
            {
                var source = tags.ToArray().Single(t => t.Key == "source").Value as string ?? "";
                lock (history)
                {
                    history[source] = history.GetValueOrDefault(source) + value;
                }
            }
        });
        listener.Start();

        var user = fixture.Silo.Client.GetGrain<IUserGrain>("measured");
        await user.AppendAsync(Clicks.For("measured", 3));
        // The append schedules the recompute; a read waits for the one in flight.
        Assert.Equal(3, (await user.GetInterestsAsync())!.EventsSeen);
        Assert.True(Volatile.Read(ref recomputes) >= 1);
        lock (batchSizes)
        {
            Assert.Contains(batchSizes, b => b >= 1);
        }

        // One more click: its recompute takes the three earlier events from the user's kept states.
        await user.AppendAsync(Clicks.For("measured", 1, firstItem: 4));
        Assert.Equal(4, (await user.GetInterestsAsync())!.EventsSeen);
        lock (history)
        {
            Assert.True(history.GetValueOrDefault("computed") >= 4 && history.GetValueOrDefault("reused") >= 3, string.Join(", ", history));
        }
    }
}
