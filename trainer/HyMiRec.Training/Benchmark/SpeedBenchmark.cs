using System.Diagnostics;
using System.Globalization;
using System.Text;
using HyMiRec.Model.Data;
using HyMiRec.Model.Interests;
using HyMiRec.Model.Losses;
using HyMiRec.Model.Modules;
using HyMiRec.Model.Optimization;
using HyMiRec.Model.Serving;
using HyMiRec.Model.Text;
using HyMiRec.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// Training throughput with the share of each part (item tower, coarse, refined, loss, backward + update), and
/// serving throughput of <see cref="IInterestModel.ComputeInterests"/> at several batch sizes, on real user histories.
/// </summary>
public static class SpeedBenchmark
{
    public static string Run(InteractionDataset dataset, HyMiRecOptions options, HyMiRecTrainingOptions extra, int batchSize, int steps, int seed)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Dataset {dataset.Name}: {dataset.Users.Count} users, {dataset.ItemCount} items; " +
            $"D={options.Dimension}, c={options.CoarseQueries}, s={options.RefinedQueries}, n={options.RecentWindow}, " +
            $"{get_num_threads()} torch threads");
        report.AppendLine();
        Training(report, dataset, options, extra, batchSize, steps, seed);
        report.AppendLine();
        Inference(report, dataset, options, seed);
        return report.ToString();
    }

    private static void Training(StringBuilder report, InteractionDataset dataset, HyMiRecOptions options, HyMiRecTrainingOptions extra, int batchSize, int steps, int seed)
    {
        manual_seed(seed);
        var random = new Random(seed);
        var tokenizer = CatalogTokenizer.Build(dataset.ItemTexts.Skip(1));
        using var tokens = tensor(tokenizer.Encode(dataset.ItemTexts, options.MaxTextTokens)).view(dataset.ItemCount + 1, options.MaxTextTokens);
        using var network = new HyMiRecNetwork(options, dataset.ItemCount, tokenizer.VocabularySize);
        network.train();
        var loss = new DmilLoss(dataset.ItemCount, 128, 0.05, options.Matching);
        using var optimizer = new AdamWOptimizer(network.parameters(), 1e-3);
        var sequences = dataset.Users.Select(u => u.Items).Where(s => s.Length >= 2).ToArray();
        var parts = new double[5];
        long samples = 0;
        var clock = Stopwatch.StartNew();
        for (var step = -1; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = Enumerable.Range(0, batchSize).Select(_ => sequences[random.Next(sequences.Length)]).ToArray();
            var items = SequenceBatch.LeftPadded(batch, extra.SequenceLength);
            var (cuts, targets) = CutSampler.Sample(items, extra.CutsPerSequence, options.TargetWindow, random);
            var lap = Stopwatch.StartNew();
            var times = new double[5];
            var table = network.ItemTable(tokens);
            times[0] = Lap(lap);
            var valid = items.ne(Scalars.Zero);
            var embedded = table.index_select(0, items.reshape(-1)).view(items.shape[0], items.shape[1], -1);
            using var window = options.CoarseLag.ToScalar(); // held past the native call (see Scalars)
            var coarse = network.CoarsePrefix(embedded, valid, cuts - window);
            times[1] = Lap(lap);
            var refined = network.Refined(embedded, valid, cuts, coarse);
            times[2] = Lap(lap);
            var n = refined.shape[0] * refined.shape[1];
            var value = loss.Compute(refined.reshape(n, options.RefinedQueries, -1), targets.reshape(n, -1), table);
            times[3] = Lap(lap);
            optimizer.ZeroGrad();
            value.backward();
            optimizer.Step();
            times[4] = Lap(lap);
            if (step < 0)
            {
                clock.Restart(); // the first step warms up allocators and kernels
                continue;
            }

            samples += cuts.ge(Scalars.Zero).sum().item<long>();
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] += times[i];
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var total = parts.Sum();
        report.AppendLine(CultureInfo.InvariantCulture, $"Training: {steps} steps of {batchSize} sequences x {extra.CutsPerSequence} cut points " +
            $"(length {extra.SequenceLength}): {samples / seconds:F0} samples/s, {steps * batchSize / seconds:F1} sequences/s, {seconds / steps * 1000:F0} ms/step");
        report.AppendLine();
        report.AppendLine("| part | share of step time |");
        report.AppendLine("|---|---:|");
        string[] names = ["item tower (text encoder + ids)", "coarse recommender", "refined recommender", "DMIL loss (clustering, matching, InfoNCE)", "backward + AdamW"];
        for (var i = 0; i < names.Length; i++)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {names[i]} | {parts[i] / total:P1} |");
        }
    }

    private static void Inference(StringBuilder report, InteractionDataset dataset, HyMiRecOptions options, int seed)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hymirec-speed-" + Guid.NewGuid().ToString("N"));
        try
        {
            InterestModelStore.CreateUntrained(directory, dataset, seed, options);
            using var model = InterestModelStore.Load(directory);
            var requests = dataset.Users.Select(u => model.RequestFor(u.Items)).ToArray();
            report.AppendLine(CultureInfo.InvariantCulture, $"Serving (ComputeInterests, histories up to {model.MaxHistory} events from codes, " +
                $"last {model.RecentLength} raw items; mean history {requests.Average(r => r.HistoryCodes.Length / model.CodebookLayers):F0}):");
            report.AppendLine();
            report.AppendLine("| batch | users/s | ms per batch (p50) | ms per batch (p99) |");
            report.AppendLine("|---:|---:|---:|---:|");
            foreach (var size in new[] { 1, 8, 64 })
            {
                var latencies = new List<double>();
                var users = 0;
                model.ComputeInterests(requests[..size]);
                var clock = Stopwatch.StartNew();
                for (var start = 0; clock.Elapsed.TotalSeconds < 5 || latencies.Count < 5; start = (start + size) % (requests.Length - size))
                {
                    var lap = Stopwatch.StartNew();
                    model.ComputeInterests(requests[start..(start + size)]);
                    latencies.Add(lap.Elapsed.TotalMilliseconds);
                    users += size;
                }

                latencies.Sort();
                report.AppendLine(CultureInfo.InvariantCulture, $"| {size} | {users / clock.Elapsed.TotalSeconds:F1} | " +
                    $"{latencies[latencies.Count / 2]:F1} | {latencies[(int)(latencies.Count * 0.99)]:F1} |");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Lap(Stopwatch lap)
    {
        var elapsed = lap.Elapsed.TotalMilliseconds;
        lap.Restart();
        return elapsed;
    }
}
