using System.Globalization;

namespace HyMiRec.Training.Commands;

/// <summary>A comma-separated option of distinct integers (seeds, window sizes): a usage error names the option and the bad entry.</summary>
public static class IntegerList
{
    public static int[] Parse(string option, string text, string repeated)
    {
        var values = text.Split(',', StringSplitOptions.TrimEntries).Select(s =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
                : throw new UsageException($"{option}: '{s}' is not an integer")).ToArray();
        return values.Distinct().Count() == values.Length ? values
            : throw new UsageException($"{option}: {text} repeats {repeated}");
    }
}
