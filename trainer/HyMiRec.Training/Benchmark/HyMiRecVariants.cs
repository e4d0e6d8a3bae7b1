using System.Globalization;
using System.Text.RegularExpressions;
using HyMiRec.Model.Codebooks;
using HyMiRec.Model.Interests;

namespace HyMiRec.Training.Benchmark;

/// <summary>
/// HyMiRec and its paper ablations by name: "hymirec", "hymirec-no-coarse", ..., plus "-s{N}", "-w{N}", "-d{N}",
/// "-n{N}", "-q{N}" and "-b{N}" suffixes for the number of interests, the target window, the embedding width, the
/// refined recommender's window over the latest raw items, its queries' own window and the lightweight recommender's
/// blocks (e.g. "hymirec-s3-w8-d16", "hymirec-n50", "hymirec-q200", "hymirec-b2").
/// </summary>
public static partial class HyMiRecVariants
{
    public static readonly IReadOnlyDictionary<string, string> Ablations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["no-coarse"] = "without the lightweight (coarse) recommender (and so without its state token)",
        ["no-codebook"] = "long history from raw embeddings instead of codebook reconstructions",
        ["euclidean"] = "Euclidean residual quantiser instead of the cosine codebook",
        ["no-indicator"] = "coarse interests without the indicator embedding",
        ["no-dmil"] = "one interest, next-item target (s = 1, w = 1)",
        ["no-window"] = "next item only (w = 1)",
        ["max-match"] = "each target group takes its best interest instead of Hungarian matching",
        ["no-text"] = "item ids only, no text encoder",
        ["coarse-lag"] = "the coarse queries stop n events short of the newest, where the refined window begins (the paper's layout)",
        ["no-coarse-state"] = "the refined prefix without the lightweight recommender's history state at the cut (the paper's prefix)",
    };

    public static bool IsVariant(string name) => TryParse(name, out _);

    public static bool TryParse(string name, out HyMiRecOptions options)
    {
        options = new HyMiRecOptions();
        if (!name.StartsWith("hymirec", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name["hymirec".Length..];
        while (rest.Length > 0)
        {
            var size = SizeSuffix().Match(rest);
            if (size.Success)
            {
                var value = int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture);
                options = size.Groups[1].Value switch
                {
                    "s" => options with { RefinedQueries = value },
                    "w" => options with { TargetWindow = value },
                    "n" => options with { RecentWindow = value },
                    "q" => options with { QueryWindow = value },
                    "b" => options with { CoarseBlocks = value },
                    _ => options with { Dimension = value },
                };
                rest = rest[size.Length..];
                continue;
            }

            // The longest name that fits: "no-coarse" is also the start of "no-coarse-state".
            var ablation = Ablations.Keys.Where(a => rest.StartsWith("-" + a, StringComparison.Ordinal)
                && (rest.Length == a.Length + 1 || rest[a.Length + 1] == '-')).MaxBy(a => a.Length);
            if (ablation is null)
            {
                return false;
            }

            options = Apply(options, ablation);
            rest = rest[(ablation.Length + 1)..];
        }

        // A name is a variant only if its sizes build a model; the options own that rule.
        try
        {
            options.Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static HyMiRecOptions Apply(HyMiRecOptions o, string ablation) => ablation switch
    {
        "no-coarse" => o with { UseCoarse = false, CoarseStateToken = false },
        "no-codebook" => o with { UseCodebook = false },
        "euclidean" => o with { CodebookKind = QuantizerKind.Euclidean },
        "no-indicator" => o with { UseIndicator = false },
        "no-dmil" => o with { RefinedQueries = 1, TargetWindow = 1 },
        "no-window" => o with { TargetWindow = 1 },
        "max-match" => o with { Matching = InterestMatching.Max },
        "no-text" => o with { UseText = false },
        "coarse-lag" => o with { CoarseReadsRecent = false },
        "no-coarse-state" => o with { CoarseStateToken = false },
        _ => throw new ArgumentOutOfRangeException(nameof(ablation), ablation, "unknown ablation"),
    };

    [GeneratedRegex(@"^-(s|w|d|n|q|b)([1-9][0-9]{0,2})(?=-|$)")]
    private static partial Regex SizeSuffix();
}
