using HyMiRec.Model.Interests;

namespace HyMiRec.Serving.Bench;

/// <summary>
/// `--model 'key=value;...'`, accepted by every mode: overrides of the untrained model's manifest keys
/// (<see cref="HyMiRecOptions.ToConfig"/>), so one binary can measure two layouts side by side, e.g. the former default
/// `coarseBlocks=1;coarseReadsRecent=false;coarseStateToken=false`.
/// </summary>
internal static class ModelLayout
{
    public const string Usage = "[--model 'key=value;...' (untrained model's manifest keys, e.g. coarseBlocks=1; any mode)]";

    /// <summary>The options the overrides give, and the arguments without the <c>--model</c> pair.</summary>
    public static (HyMiRecOptions Options, string[] Remaining) Take(string[] args)
    {
        var at = Array.IndexOf(args, "--model");
        if (at < 0)
        {
            return (new HyMiRecOptions(), args);
        }

        if (at + 1 >= args.Length)
        {
            throw new ArgumentException("--model needs 'key=value;...'");
        }

        var config = new Dictionary<string, string>(new HyMiRecOptions().ToConfig(), StringComparer.Ordinal);
        foreach (var pair in args[at + 1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split('=', 2) is not [var key, var value] || !config.ContainsKey(key))
            {
                throw new ArgumentException($"--model: expected 'key=value' with a manifest key ({string.Join(", ", config.Keys)}), got '{pair}'");
            }

            config[key] = value;
        }

        try
        {
            return (HyMiRecOptions.FromConfig(config), [.. args[..at], .. args[(at + 2)..]]);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--model '{args[at + 1]}': {e.Message}", e);
        }
    }

    /// <summary>The keys where <paramref name="options"/> differ from the default, for the run's header.</summary>
    public static string Describe(HyMiRecOptions options)
    {
        var defaults = new HyMiRecOptions().ToConfig();
        var changed = options.ToConfig().Where(kv => defaults[kv.Key] != kv.Value).Select(kv => $"{kv.Key}={kv.Value}").ToArray();
        return changed.Length == 0 ? "the default layout" : string.Join(";", changed);
    }
}
