using System.Diagnostics;
using System.Globalization;
using HyMiRec.Model.Serving;

namespace HyMiRec.Serving.Bench;

/// <summary>
/// `hymirec-serving-bench buckets`: raw forward users/s of the model on one drained batch with mixed history lengths
/// (most users short, a few long), run as one padded pass (what the host did before history buckets) against the
/// sub-batches <see cref="HistoryBuckets"/> plans for several settings. Results of every setting are compared with the
/// one-pass results, so a planning or mapping error shows up as a difference, not as a speed.
/// </summary>
internal static class BucketBench
{
    public const string Usage =
        "usage: hymirec-serving-bench buckets [--users 64] [--long-share 0.1] [--long 1000] [--short-min 20] [--short-max 100]\n" +
        "                                     [--caps 8,16] [--waste 0.5] [--seconds 3 (per setting)]";

    public static int Run(Settings settings, string modelDirectory)
    {
        using var model = InterestModelStore.Load(modelDirectory);
        var random = new Random(3);
        var longUsers = (int)Math.Round(settings.Users * settings.LongShare);
        var lengths = Enumerable.Range(0, settings.Users)
            .Select(u => u < longUsers ? settings.Long : random.Next(settings.ShortMin, settings.ShortMax + 1))
            .OrderBy(_ => random.Next()).ToArray();
        var batch = lengths.Select(n => model.RequestFor([.. Enumerable.Range(0, n).Select(_ => 1 + random.Next(model.Catalog.ItemCount))])).ToArray();
        var modelLengths = HistoryBuckets.Lengths(batch, model);

        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"{settings.Users} users: {longUsers} with {settings.Long} events, the others {settings.ShortMin}-{settings.ShortMax}; " +
            $"model D = {model.Dimension}, MaxHistory {model.MaxHistory}, torch threads {TorchSharp.torch.get_num_threads()}");

        var configurations = new List<(string Name, int Cap, double Waste)> { ("off: one padded pass", settings.Users, 1) };
        foreach (var cap in settings.Caps)
        {
            configurations.Add(($"sorted, cap {cap}, no waste bound", cap, 1));
            configurations.Add(($"sorted, cap {cap}, waste <= {settings.Waste:0.##}", cap, settings.Waste));
        }

        configurations.Add(($"sorted, no cap, waste <= {settings.Waste:0.##}", settings.Users, settings.Waste));
        var reference = model.ComputeInterests(batch);
        var plans = configurations.Select(c => c.Name.StartsWith("off", StringComparison.Ordinal)
            ? [Enumerable.Range(0, batch.Length).ToArray()] // arrival order in one pass, as the host ran it before
            : HistoryBuckets.Plan(modelLengths, c.Cap, c.Waste)).ToArray();
        var differences = plans.Select(p => MaxDifference(reference, RunPlan(model, batch, p))).ToArray();

        // Round-robin over the settings, so a change in the machine's load falls on all of them alike.
        var seconds = new double[plans.Length];
        var rounds = 0;
        var clock = Stopwatch.StartNew();
        while (rounds < 2 || clock.Elapsed < TimeSpan.FromSeconds(settings.Seconds * plans.Length))
        {
            for (var c = 0; c < plans.Length; c++)
            {
                var started = Stopwatch.GetTimestamp();
                RunPlan(model, batch, plans[c]);
                seconds[c] += Stopwatch.GetElapsedTime(started).TotalSeconds;
            }

            rounds++;
        }

        var rows = configurations.Select((c, i) => (c.Name, Passes: plans[i].Count, Padding: Padding(modelLengths, plans[i]),
            PerSecond: batch.Length * rounds / seconds[i], MaxDifference: differences[i])).ToList();
        Console.WriteLine($"{rounds} rounds of every setting");
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| forward passes for the batch | passes | padded share of history cells | users/s | vs one padded pass | max abs difference from one pass |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Name} | {r.Passes} | {r.Padding:P1} | {r.PerSecond:F0} | {r.PerSecond / rows[0].PerSecond:F2}x | {r.MaxDifference:G2} |");
        }

        return 0;
    }

    private static UserInterests[] RunPlan(HyMiRecInterestModel model, InterestRequest[] batch, IReadOnlyList<int[]> plan)
    {
        var results = new UserInterests[batch.Length];
        foreach (var indices in plan)
        {
            var pass = model.ComputeInterests([.. indices.Select(i => batch[i])]);
            for (var i = 0; i < indices.Length; i++)
            {
                results[indices[i]] = pass[i];
            }
        }

        return results;
    }

    private static double Padding(int[] lengths, IReadOnlyList<int[]> plan)
    {
        var cells = plan.Sum(p => (double)p.Length * p.Max(i => Math.Max(1, lengths[i])));
        return (cells - lengths.Sum(l => (double)Math.Max(1, l))) / cells;
    }

    private static double MaxDifference(IReadOnlyList<UserInterests> expected, UserInterests[] actual) =>
        expected.Select((e, u) => e.Coarse.Zip(actual[u].Coarse).Concat(e.Refined.Zip(actual[u].Refined)).Select(p => Math.Abs(p.First - p.Second)).DefaultIfEmpty(0).Max()).Max();

    /// <summary>Parsed before the model is written, so a usage error costs no start-up.</summary>
    public sealed record Settings(int Users, double LongShare, int Long, int ShortMin, int ShortMax, int[] Caps, double Waste, double Seconds)
    {
        public static Settings Parse(string[] args)
        {
            var values = OptionPairs.Parse(args, ["users", "long-share", "long", "short-min", "short-max", "caps", "waste", "seconds"]);
            string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
            var settings = new Settings(
                int.Parse(Get("users", "64"), CultureInfo.InvariantCulture),
                double.Parse(Get("long-share", "0.1"), CultureInfo.InvariantCulture),
                int.Parse(Get("long", "1000"), CultureInfo.InvariantCulture),
                int.Parse(Get("short-min", "20"), CultureInfo.InvariantCulture),
                int.Parse(Get("short-max", "100"), CultureInfo.InvariantCulture),
                [.. Get("caps", "8,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))],
                double.Parse(Get("waste", "0.5"), CultureInfo.InvariantCulture),
                double.Parse(Get("seconds", "3"), CultureInfo.InvariantCulture));
            OptionPairs.Require(settings.Users >= 1, "--users must be at least 1");
            OptionPairs.Require(settings.LongShare is >= 0 and <= 1, "--long-share must be in 0..1");
            OptionPairs.Require(settings.ShortMin >= 1 && settings.ShortMin <= settings.ShortMax && settings.Long >= 1, "lengths must be positive with --short-min <= --short-max");
            OptionPairs.Require(settings.Caps.All(c => c >= 1), "--caps must be positive");
            OptionPairs.Require(settings.Waste is >= 0 and <= 1, "--waste must be in 0..1");
            OptionPairs.Require(settings.Seconds > 0, "--seconds must be positive");
            return settings;
        }
    }
}
