namespace HyMiRec.Model.Data;

/// <summary>Pseudo-word vocabulary and item titles for <see cref="SyntheticDataset"/>.</summary>
internal static class SyntheticText
{
    private const string Consonants = "bdfgklmnprstvz";
    private const string Vowels = "aeiou";

    /// <summary>Distinct pronounceable words, so tokenizers split them like real words rather than into bytes.</summary>
    public static string[] Vocabulary(Random rng, int count)
    {
        var words = new List<string>(count);
        var seen = new HashSet<string>();
        while (words.Count < count)
        {
            var syllables = rng.Next(2, 4);
            var chars = new char[syllables * 2];
            for (var s = 0; s < syllables; s++)
            {
                chars[2 * s] = Consonants[rng.Next(Consonants.Length)];
                chars[(2 * s) + 1] = Vowels[rng.Next(Vowels.Length)];
            }

            var word = new string(chars);
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        return [.. words];
    }

    /// <summary>
    /// "Kamo Rizu Tevi Lapo (1987) | sunu": topic words plus one shared word in the title and one shared word as
    /// the "genre", mirroring MovieLens' "title | genres" text.
    /// </summary>
    public static string ItemText(Random rng, string[] words, int topic, SyntheticOptions o)
    {
        var sharedStart = o.Topics * o.WordsPerTopic;
        var own = Enumerable.Range(topic * o.WordsPerTopic, o.WordsPerTopic).ToArray();
        rng.Shuffle(own);
        var title = own.Take(Math.Min(o.TopicWordsPerTitle, own.Length)).Select(i => words[i]).ToList();
        title.Insert(rng.Next(title.Count + 1), words[sharedStart + rng.Next(o.SharedWords)]);
        var year = 1950 + rng.Next(50);
        var titleText = string.Join(' ', title.Select(Capitalize)) + $" ({year})";
        return MovieLensReader.ItemText(titleText, [words[sharedStart + rng.Next(o.SharedWords)]]);
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
