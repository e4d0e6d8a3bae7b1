using System.Diagnostics.Metrics;
using HyMiRec.Grains;
using HyMiRec.Interfaces;

namespace HyMiRec.Tests.Serving;

public sealed class ClickToInterestMetricTests
{
    // Other tests record into the same static histogram; this test's clicks are stamped 100 days back so only its
    // own values fall in the window (theirs are fresh or from Clicks.Start).
    private static readonly TimeSpan Age = TimeSpan.FromDays(100);

    [Fact]
    public async Task EveryClickRecordsItsAgeOnceWhenTheFirstInterestUpdateCoveringItIsStored()
    {
        var values = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // By name: this runs inside ServingMetrics' static constructor when the instrument is created after Start.
            if (instrument.Meter.Name == ServingMetrics.MeterName && instrument.Name == "hymirec.user.click_to_interest")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            if (value >= Age.TotalMilliseconds && value < (Age + TimeSpan.FromHours(1)).TotalMilliseconds)
            {
                lock (values)
                {
                    values.Add(value);
                }
            }
        });
        listener.Start();

        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:RecomputeMode"] = "EveryEvent" });
        var user = silo.Client.GetGrain<IUserGrain>("timed");
        var stamped = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow - Age).ToUnixTimeMilliseconds());
        var clicks = Enumerable.Range(0, 4)
            .Select(i => new ClickEvent("timed", TestModel.Dataset.ItemIds[1 + i], stamped.AddMilliseconds(i), "click", new LogPosition(0, i)))
            .ToArray();

        var before = DateTimeOffset.UtcNow;
        await user.AppendAsync(clicks[..3]);
        var after = DateTimeOffset.UtcNow;
        double[] seen;
        lock (values)
        {
            seen = [.. values];
        }

        // One value per click of the append, each between the append's start and end minus that click's timestamp.
        Assert.Equal(3, seen.Length);
        var expected = clicks[..3].Select(c => ((before - c.Timestamp).TotalMilliseconds - 1, (after - c.Timestamp).TotalMilliseconds + 1)).ToArray();
        Assert.All(seen.Order().Zip(expected.Reverse()), pair => Assert.InRange(pair.First, pair.Second.Item1, pair.Second.Item2));

        // A read and a redelivered click cover nothing new; the next new click records one more value.
        await user.GetInterestsAsync();
        await user.AppendAsync(clicks[2..3]);
        await user.AppendAsync(clicks[3..]);
        lock (values)
        {
            Assert.Equal(4, values.Count);
        }
    }
}
