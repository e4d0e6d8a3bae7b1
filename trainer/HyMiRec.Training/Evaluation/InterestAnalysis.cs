using HyMiRec.Model.Data;
using HyMiRec.Model.Serving;

namespace HyMiRec.Training.Evaluation;

/// <summary>Figures of <see cref="InterestAnalysis"/>; per-interest lists are indexed by refined interest.</summary>
public sealed record InterestReport(
    int Interests,
    int Window,
    int Users,
    double InterestCosine,
    IReadOnlyList<double> TestWinnerShare,
    IReadOnlyList<double> TopSlotShare,
    IReadOnlyList<double> SingleRecall10,
    IReadOnlyList<double> SingleRecall50,
    double Recall10,
    double Recall50,
    double RoundRobinRecall10,
    double RoundRobinRecall50,
    int Windows,
    double WindowSplitShare,
    double WindowTargetCosine,
    double SameUserCosine,
    double RandomClickCosine);

/// <summary>
/// How a trained model uses its s refined interests, through the serving path. On the leave-one-out test: how alike
/// a user's interests are, which interest scores the target best, which interest puts each of the top 10 items
/// there (serving ranks by the best cosine over interests, so one interest can crowd out the others), and Recall@K with each interest alone against the
/// best cosine over all of them (what serving does). On each user's last w items (a DMIL target window): whether its
/// targets fall to different interests, and how alike the targets are, next to two reference levels: two random
/// items of one user's history, and two random clicks of the whole log. DMIL can only help where windows are spread
/// over several directions of the item space.
/// </summary>
public static class InterestAnalysis
{
    private const int Batch = 64;
    private const int Pairs = 20_000;

    /// <param name="itemEmbeddings">Row-major [N + 1, D] item table of the model (row 0 padding).</param>
    public static InterestReport Run(HyMiRecInterestModel model, InteractionDataset dataset, float[] itemEmbeddings, int seed)
    {
        var s = model.RefinedInterests;
        var d = model.Dimension;
        var items = Normalize(itemEmbeddings, d);
        var map = dataset.ItemIds.Select(id => model.Catalog.TryGetIndex(id, out var index) ? index : 0).ToArray();
        var split = LeaveOneOutSplit.Create(dataset);
        var cases = split.Test.Select(c => (Input: Known(c.Input, map), Target: map[c.Target]))
            .Where(c => c.Input.Length > 0 && c.Target > 0).ToArray();

        var winners = new double[s];
        var slots = new double[s];
        var single10 = new double[s];
        var single50 = new double[s];
        var (all10, all50, interestCosine) = (0.0, 0.0, 0.0);
        var (turns10, turns50) = (0.0, 0.0);
        foreach (var chunk in cases.Chunk(Batch))
        {
            var interests = model.ComputeInterests([.. chunk.Select(c => model.RequestFor(c.Input))]);
            for (var i = 0; i < chunk.Length; i++)
            {
                var rows = interests[i].Refined;
                var exclude = new HashSet<int>(chunk[i].Input);
                interestCosine += MeanPairCosine(rows, s, d);
                winners[Winner(rows, s, d, items, chunk[i].Target)]++;
                var lists = new IReadOnlyList<ScoredItem>[s];
                for (var k = 0; k < s; k++)
                {
                    lists[k] = model.Recommend(OnlyInterest(interests[i], k, s, d), 50, exclude);
                    var rank = Rank(lists[k], chunk[i].Target);
                    single10[k] += rank < 10 ? 1 : 0;
                    single50[k] += rank < 50 ? 1 : 0;
                }

                var turns = RankInTurns(lists, chunk[i].Target);
                turns10 += turns < 10 ? 1 : 0;
                turns50 += turns < 50 ? 1 : 0;
                var merged = model.Recommend(interests[i], 50, exclude);
                foreach (var item in merged.Take(10))
                {
                    slots[Winner(rows, s, d, items, item.ItemIndex)]++;
                }

                var best = Rank(merged, chunk[i].Target);
                all10 += best < 10 ? 1 : 0;
                all50 += best < 50 ? 1 : 0;
            }
        }

        var w = model.Options.TargetWindow;
        var (windows, split2, windowCosine) = Windows(model, dataset, map, items, w);
        var n = Math.Max(1, cases.Length);
        var random = new Random(seed);
        return new InterestReport(
            s, w, cases.Length, s > 1 ? interestCosine / n : 1.0,
            [.. winners.Select(x => x / n)], [.. slots.Select(x => x / Math.Max(1, slots.Sum()))], [.. single10.Select(x => x / n)], [.. single50.Select(x => x / n)],
            all10 / n, all50 / n, turns10 / n, turns50 / n, windows, split2, windowCosine,
            SameUserCosine(dataset, map, items, d, random), RandomClickCosine(dataset, map, items, d, random));
    }

    /// <summary>Index of the interest with the highest cosine to item <paramref name="target"/> (ties: the first).</summary>
    public static int Winner(float[] interests, int s, int d, float[] normalizedItems, int target)
    {
        var (best, bestScore) = (0, double.NegativeInfinity);
        for (var k = 0; k < s; k++)
        {
            var score = Dot(interests, k * d, normalizedItems, target * d, d);
            if (score > bestScore)
            {
                (best, bestScore) = (k, score);
            }
        }

        return best;
    }

    /// <summary>Mean cosine over the s(s-1)/2 pairs of unit-length interest rows; 1 for a single interest.</summary>
    public static double MeanPairCosine(float[] rows, int s, int d)
    {
        if (s < 2)
        {
            return 1.0;
        }

        var (sum, pairs) = (0.0, 0);
        for (var a = 0; a < s; a++)
        {
            for (var b = a + 1; b < s; b++, pairs++)
            {
                sum += Dot(rows, a * d, rows, b * d, d);
            }
        }

        return sum / pairs;
    }

    /// <summary>Rows scaled to unit length (zero rows stay zero).</summary>
    public static float[] Normalize(float[] table, int d)
    {
        var result = new float[table.Length];
        for (var row = 0; row < table.Length / d; row++)
        {
            var norm = Math.Sqrt(Dot(table, row * d, table, row * d, d));
            for (var j = 0; norm > 0 && j < d; j++)
            {
                result[(row * d) + j] = (float)(table[(row * d) + j] / norm);
            }
        }

        return result;
    }

    private static (int Windows, double SplitShare, double TargetCosine) Windows(
        HyMiRecInterestModel model, InteractionDataset dataset, int[] map, float[] items, int w)
    {
        var (s, d) = (model.RefinedInterests, model.Dimension);
        var cases = dataset.Users.Select(u => Known(u.Items, map)).Where(seq => seq.Length >= w + 2)
            .Select(seq => (Input: seq[..^w], Targets: seq[^w..])).ToArray();
        var (spread, cosine) = (0, 0.0);
        foreach (var chunk in cases.Chunk(Batch))
        {
            var interests = model.ComputeInterests([.. chunk.Select(c => model.RequestFor(c.Input))]);
            for (var i = 0; i < chunk.Length; i++)
            {
                var targets = chunk[i].Targets;
                spread += targets.Select(t => Winner(interests[i].Refined, s, d, items, t)).Distinct().Count() > 1 ? 1 : 0;
                cosine += MeanItemPairCosine(targets, items, d);
            }
        }

        var n = Math.Max(1, cases.Length);
        return (cases.Length, (double)spread / n, cosine / n);
    }

    private static double SameUserCosine(InteractionDataset dataset, int[] map, float[] items, int d, Random random)
    {
        var users = dataset.Users.Select(u => Known(u.Items, map)).Where(seq => seq.Length >= 2).ToArray();
        var sum = 0.0;
        for (var p = 0; p < Pairs; p++)
        {
            var seq = users[random.Next(users.Length)];
            var a = random.Next(seq.Length);
            var b = (a + 1 + random.Next(seq.Length - 1)) % seq.Length;
            sum += Dot(items, seq[a] * d, items, seq[b] * d, d);
        }

        return sum / Pairs;
    }

    private static double RandomClickCosine(InteractionDataset dataset, int[] map, float[] items, int d, Random random)
    {
        var clicks = dataset.Users.SelectMany(u => Known(u.Items, map)).ToArray();
        var sum = 0.0;
        for (var p = 0; p < Pairs; p++)
        {
            sum += Dot(items, clicks[random.Next(clicks.Length)] * d, items, clicks[random.Next(clicks.Length)] * d, d);
        }

        return sum / Pairs;
    }

    private static double MeanItemPairCosine(int[] targets, float[] items, int d)
    {
        var (sum, pairs) = (0.0, 0);
        for (var a = 0; a < targets.Length; a++)
        {
            for (var b = a + 1; b < targets.Length; b++, pairs++)
            {
                sum += Dot(items, targets[a] * d, items, targets[b] * d, d);
            }
        }

        return pairs == 0 ? 1.0 : sum / pairs;
    }

    /// <summary>The user's interests with every refined row replaced by row k: retrieval by that interest alone.</summary>
    private static UserInterests OnlyInterest(UserInterests interests, int k, int s, int d)
    {
        var rows = new float[s * d];
        for (var r = 0; r < s; r++)
        {
            Array.Copy(interests.Refined, k * d, rows, r * d, d);
        }

        return interests with { Refined = rows };
    }

    /// <summary>
    /// Rank of <paramref name="target"/> in the list that takes each interest's next best unseen item in turn, a
    /// merge that gives every interest the same share of slots whatever its cosine scale.
    /// </summary>
    public static int RankInTurns(IReadOnlyList<IReadOnlyList<ScoredItem>> lists, int target)
    {
        var seen = new HashSet<int>();
        var next = new int[lists.Count];
        for (var rank = 0; ; )
        {
            var progressed = false;
            for (var k = 0; k < lists.Count; k++)
            {
                while (next[k] < lists[k].Count && !seen.Add(lists[k][next[k]].ItemIndex))
                {
                    next[k]++;
                }

                if (next[k] < lists[k].Count)
                {
                    if (lists[k][next[k]++].ItemIndex == target)
                    {
                        return rank;
                    }

                    rank++;
                    progressed = true;
                }
            }

            if (!progressed)
            {
                return int.MaxValue;
            }
        }
    }

    private static int Rank(IReadOnlyList<ScoredItem> top, int target)
    {
        for (var r = 0; r < top.Count; r++)
        {
            if (top[r].ItemIndex == target)
            {
                return r;
            }
        }

        return int.MaxValue;
    }

    private static int[] Known(int[] datasetItems, int[] map) => [.. datasetItems.Select(i => map[i]).Where(i => i > 0)];

    private static double Dot(float[] a, int aOffset, float[] b, int bOffset, int d)
    {
        var sum = 0.0;
        for (var j = 0; j < d; j++)
        {
            sum += a[aOffset + j] * (double)b[bOffset + j];
        }

        return sum;
    }
}
