using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// A Hugging Face tokenizer.json holding a byte-level BPE model: what LLaMA 3 ships instead of a SentencePiece
/// tokenizer.model. Microsoft.ML.Tokenizers' BpeTokenizer applies the merges; this class adds the parts of the file
/// that tokenizer does not read: the Split pre-tokenizer's regex (text between matches kept as pieces, as "Isolated"
/// does) and ignore_merges (a piece that is itself in the vocabulary is that one token). Special tokens are never
/// recognised inside text, so an item title cannot inject a control token.
/// </summary>
public sealed class ByteLevelBpe
{
    /// <summary>GPT-2's split, used by a ByteLevel pre-tokenizer that splits by itself (use_regex).</summary>
    private const string Gpt2Split = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly char[] ByteToChar = BuildByteMap();

    private readonly Regex _split;
    private readonly bool _prefixSpace;
    private readonly Dictionary<string, int>? _wholePieces;
    private readonly BpeTokenizer _bpe;

    private ByteLevelBpe(Regex split, bool prefixSpace, Dictionary<string, int>? wholePieces, BpeTokenizer bpe, int largestId)
    {
        (_split, _prefixSpace, _wholePieces, _bpe) = (split, prefixSpace, wholePieces, bpe);
        LargestId = largestId;
    }

    /// <summary>The largest id in the vocabulary and the added tokens.</summary>
    public int LargestId { get; }

    public static ByteLevelBpe Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: tokenizer.json not found", path);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(path, document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a usable tokenizer.json: {e.Message}", e);
        }
    }

    /// <summary>The text's token ids, without BOS or EOS.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        if (string.IsNullOrEmpty(text))
        {
            return ids;
        }

        text = _prefixSpace && text[0] != ' ' ? " " + text : text;
        var at = 0;
        foreach (Match match in _split.Matches(text))
        {
            AddPiece(text[at..match.Index], ids);
            AddPiece(match.Value, ids);
            at = match.Index + match.Length;
        }

        AddPiece(text[at..], ids);
        return ids;
    }

    private void AddPiece(string piece, List<int> ids)
    {
        if (piece.Length == 0)
        {
            return;
        }

        if (_wholePieces is not null && _wholePieces.TryGetValue(ByteLevelForm(piece), out var id))
        {
            ids.Add(id);
            return;
        }

        ids.AddRange(_bpe.EncodeToIds(piece));
    }

    private static ByteLevelBpe Parse(string path, JsonElement root)
    {
        var model = root.GetProperty("model");
        if (model.GetProperty("type").GetString() != "BPE")
        {
            throw new InvalidDataException($"{path}: model type '{model.GetProperty("type").GetString()}'; only BPE is supported");
        }

        if (root.Optional("normalizer") is { } normalizer)
        {
            throw new InvalidDataException($"{path}: normalizer {normalizer.GetRawText()} is not supported (byte-level BPE without a normalizer, as LLaMA 3)");
        }

        foreach (var key in (string[])["continuing_subword_prefix", "end_of_word_suffix"])
        {
            if (model.Optional(key) is { ValueKind: JsonValueKind.String } value && value.GetString()!.Length > 0)
            {
                throw new InvalidDataException($"{path}: model.{key} is set; byte-level BPE does not use one");
            }
        }

        var (split, prefixSpace) = PreTokenizer(path, root.Optional("pre_tokenizer"));
        var vocabulary = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Array
            ? $"{m[0].GetString()} {m[1].GetString()}"
            : m.GetString()!).ToArray();
        var largest = vocabulary.Values.Append(-1)
            .Concat(root.Optional("added_tokens")?.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()) ?? [])
            .Max();
        var missing = ByteToChar.Where(c => !vocabulary.ContainsKey(c.ToString())).Take(1).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: the vocabulary lacks the byte-level symbol U+{(int)missing[0]:X4}; every byte needs a token");
        }

        var bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(WholePiece(), null), // pieces arrive already split
        });
        var ignoreMerges = model.Optional("ignore_merges")?.GetBoolean() ?? false;
        return new ByteLevelBpe(split, prefixSpace, ignoreMerges ? vocabulary : null, bpe, largest);
    }

    /// <summary>The split regex and add_prefix_space, from a ByteLevel pre-tokenizer alone or in a Sequence after a Split.</summary>
    private static (Regex Split, bool PrefixSpace) PreTokenizer(string path, JsonElement? element)
    {
        var steps = element switch
        {
            { } e when e.GetProperty("type").GetString() == "Sequence" => e.GetProperty("pretokenizers").EnumerateArray().ToArray(),
            { } e => [e],
            null => [],
        };
        string? pattern = null;
        bool? prefixSpace = null;
        foreach (var step in steps)
        {
            switch (step.GetProperty("type").GetString())
            {
                case "Split" when pattern is null:
                    pattern = SplitPattern(path, step);
                    break;
                case "ByteLevel" when prefixSpace is null:
                    prefixSpace = step.Optional("add_prefix_space")?.GetBoolean() ?? false;
                    pattern ??= (step.Optional("use_regex")?.GetBoolean() ?? true) ? Gpt2Split : null;
                    break;
                default:
                    throw new InvalidDataException($"{path}: pre-tokenizer step {step.GetRawText()} is not supported " +
                        "(supported: an optional Split with a regex, then ByteLevel; SentencePiece-style checkpoints need their tokenizer.model)");
            }
        }

        if (prefixSpace is null || pattern is null)
        {
            throw new InvalidDataException($"{path}: not a byte-level BPE tokenizer (no ByteLevel pre-tokenizer with a split); " +
                "SentencePiece-style checkpoints need their tokenizer.model");
        }

        return (new Regex(pattern, RegexOptions.CultureInvariant), prefixSpace.Value);
    }

    private static string SplitPattern(string path, JsonElement step)
    {
        if (step.GetProperty("behavior").GetString() != "Isolated" || (step.Optional("invert")?.GetBoolean() ?? false))
        {
            throw new InvalidDataException($"{path}: only an Isolated, non-inverted Split is supported, got {step.GetRawText()}");
        }

        var pattern = step.GetProperty("pattern");
        return pattern.Optional("Regex")?.GetString()
            ?? Regex.Escape(pattern.GetProperty("String").GetString()!);
    }

    private static string ByteLevelForm(string piece) => string.Concat(Encoding.UTF8.GetBytes(piece).Select(b => ByteToChar[b]));

    /// <summary>GPT-2's byte-to-symbol table: printable Latin-1 bytes stand for themselves, the rest move to 256 and up.</summary>
    private static char[] BuildByteMap()
    {
        var map = new char[256];
        var moved = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + moved++);
        }

        return map;
    }

    private static Regex WholePiece() => new("(?s).+", RegexOptions.CultureInvariant);
}
