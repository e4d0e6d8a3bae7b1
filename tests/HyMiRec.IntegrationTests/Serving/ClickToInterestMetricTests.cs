using System.Diagnostics.Metrics;
using HyMiRec.Grains;
using HyMiRec.Interfaces;

namespace HyMiRec.IntegrationTests.Serving;

public sealed class ClickToInterestMetricTests
{
    // Other tests record into the same static histograms; this test's clicks entered the log 100 days back (and
    // happened 200 days back), so only its own values fall in the windows.
    private static readonly TimeSpan Age = TimeSpan.FromDays(100);

    [Fact]
    public async Task EveryClickRecordsItsFreshnessFromTheLogOnceWhenTheFirstInterestUpdateCoveringItIsStored()
    {
        var fresh = new List<double>();
        var lag = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // By name: this runs inside ServingMetrics' static constructor when the instrument is created after Start.
            if (instrument.Meter.Name == ServingMetrics.MeterName && instrument.Name is "hymirec.user.click_to_interest" or "hymirec.user.event_time_lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            var (list, age) = instrument.Name == "hymirec.user.click_to_interest" ? (fresh, Age) : (lag, Age * 2);
            if (value >= age.TotalMilliseconds && value < (age + TimeSpan.FromHours(1)).TotalMilliseconds)
            {
                lock (list)
                {
                    list.Add(value);
                }
            }
        });
        listener.Start();

        await using var silo = await ServingSilo.StartAsync(new Dictionary<string, string> { ["Users:RecomputeMode"] = "EveryEvent" });
        var user = silo.Client.GetGrain<IUserGrain>("timed");
        var logged = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow - Age).ToUnixTimeMilliseconds());
        var clicks = Enumerable.Range(0, 4)
            .Select(i => new ClickEvent("timed", TestModel.Dataset.ItemIds[1 + i], logged.AddMilliseconds(i) - Age, "click", new LogPosition(0, i), logged.AddMilliseconds(i)))
            .ToArray();

        var before = DateTimeOffset.UtcNow;
        await user.AppendAsync(clicks[..3]);
        await user.GetInterestsAsync();
        var after = DateTimeOffset.UtcNow;
        double[] seen;
        lock (fresh)
        {
            seen = [.. fresh];
        }

        // One value per click, each between the append's start and the covering read's end, from its log time.
        Assert.Equal(3, seen.Length);
        var expected = clicks[..3].Select(c => ((before - c.LoggedAt!.Value).TotalMilliseconds - 1, (after - c.LoggedAt!.Value).TotalMilliseconds + 1)).ToArray();
        Assert.All(seen.Order().Zip(expected.Reverse()), pair => Assert.InRange(pair.First, pair.Second.Item1, pair.Second.Item2));
        lock (lag)
        {
            Assert.Equal(3, lag.Count);
        }

        // A read and a redelivered click cover nothing new; the next new click records one more value.
        await user.GetInterestsAsync();
        await user.AppendAsync(clicks[2..3]);
        await user.AppendAsync(clicks[3..]);
        await user.GetInterestsAsync();
        lock (fresh)
        {
            Assert.Equal(4, fresh.Count);
        }
    }
}
