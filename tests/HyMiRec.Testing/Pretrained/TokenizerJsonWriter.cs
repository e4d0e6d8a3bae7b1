using System.Text.Json;

namespace HyMiRec.Testing.Pretrained;

/// <summary>
/// A LLaMA 3 style tokenizer.json written by the test: byte-level BPE whose first 256 ids are the byte symbols in
/// byte order (id b stands for byte b), then the merged tokens, one whole word reachable by no merge, and two
/// special tokens. The split regex is LLaMA 3's.
/// </summary>
public static class TokenizerJsonWriter
{
    public const string Llama3Split = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Merges in rank order; each makes the token named by joining its two parts.</summary>
    public static readonly string[] Merges = ["h i", "Ġ t", "h e", "Ġt he", "r e", "Ġ c", "Ġc a"];

    /// <summary>In the vocabulary, but no merge builds it ("Ġthe re" is missing): only ignore_merges finds it.</summary>
    public const string WholeWord = "Ġthere";

    public static readonly string[] Specials = ["<|begin_of_text|>", "<|end_of_text|>"];

    /// <summary>Writes the file and returns every token by id.</summary>
    public static string[] Write(string path, bool ignoreMerges = true, bool mergesAsPairs = false, object? preTokenizer = null)
    {
        string[] tokens = [.. Enumerable.Range(0, 256).Select(b => ByteSymbol((byte)b)), .. Merges.Select(m => m.Replace(" ", string.Empty, StringComparison.Ordinal)), WholeWord, .. Specials];
        var vocabulary = tokens.Take(tokens.Length - Specials.Length).Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var document = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["added_tokens"] = Specials.Select((s, i) => new { id = tokens.Length - Specials.Length + i, content = s, special = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer ?? new
            {
                type = "Sequence",
                pretokenizers = new object[]
                {
                    new { type = "Split", pattern = new { Regex = Llama3Split }, behavior = "Isolated", invert = false },
                    new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = false },
                },
            },
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "BPE",
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocabulary,
                ["merges"] = mergesAsPairs ? Merges.Select(m => m.Split(' ')).ToArray() : Merges,
            },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document));
        return tokens;
    }

    /// <summary>GPT-2's table, written out independently of the code under test: printable Latin-1 stays, the rest moves to 256 + n.</summary>
    public static string ByteSymbol(byte b)
    {
        var moved = Enumerable.Range(0, b).Count(x => !Printable(x));
        return ((char)(Printable(b) ? b : 256 + moved)).ToString();
    }

    private static bool Printable(int b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
}
