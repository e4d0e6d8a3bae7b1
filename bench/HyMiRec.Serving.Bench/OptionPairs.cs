namespace HyMiRec.Serving.Bench;

/// <summary>
/// The bench commands' <c>--name value</c> pairs. A misspelt name is an error rather than an ignored option, because
/// a run that silently took a default would record figures under a setting it never used.
/// </summary>
internal static class OptionPairs
{
    public static Dictionary<string, string> Parse(string[] args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        foreach (var name in values.Keys.Where(k => !known.Contains(k)))
        {
            throw new ArgumentException($"unknown option --{name} (known: {string.Join(", ", known.Select(k => "--" + k))})");
        }

        return values;
    }

    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
