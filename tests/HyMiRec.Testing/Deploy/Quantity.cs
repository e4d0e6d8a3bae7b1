using System.Globalization;
using System.Text.RegularExpressions;

namespace HyMiRec.Testing.Deploy;

/// <summary>Kubernetes resource quantities ("500m", "2", "4Gi", "1e3"), parsed to a comparable number.</summary>
internal static partial class Quantity
{
    private static readonly Dictionary<string, double> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1, ["m"] = 1e-3, ["k"] = 1e3, ["M"] = 1e6, ["G"] = 1e9, ["T"] = 1e12, ["P"] = 1e15, ["E"] = 1e18,
        ["Ki"] = 1024, ["Mi"] = Math.Pow(1024, 2), ["Gi"] = Math.Pow(1024, 3), ["Ti"] = Math.Pow(1024, 4), ["Pi"] = Math.Pow(1024, 5), ["Ei"] = Math.Pow(1024, 6),
    };

    /// <summary>A quantity field's text: a string, or a plain integer (Kubernetes accepts both).</summary>
    public static string? Text(YamlDotNet.RepresentationModel.YamlNode? node) =>
        Yaml.Text(node) ?? Yaml.Int(node)?.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success || !Suffixes.TryGetValue(match.Groups[2].Value, out var scale))
        {
            return false;
        }

        value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * scale;
        return true;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$")]
    private static partial Regex Pattern();
}
