using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace HyMiRec.Model.Text;

/// <summary>
/// A BERT-style WordPiece tokenizer (Microsoft.ML.Tokenizers) whose vocabulary is built from the catalog's own text
/// when no pretrained vocabulary is given: every lower-cased word and punctuation mark seen in item texts, plus the
/// special tokens. [PAD] is id 0 so padded token rows can be told apart; [CLS] starts every item as its summary token.
/// </summary>
public sealed class CatalogTokenizer
{
    private static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
    private readonly BertTokenizer _tokenizer;

    private CatalogTokenizer(string[] vocabulary)
    {
        Vocabulary = vocabulary;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary) + "\n"));
        _tokenizer = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = true });
        if (_tokenizer.PaddingTokenId != 0)
        {
            throw new InvalidDataException("vocabulary must start with [PAD]");
        }
    }

    public string[] Vocabulary { get; }

    public int VocabularySize => Vocabulary.Length;

    public static CatalogTokenizer Build(IEnumerable<string> texts)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var word in PreTokenize(text))
            {
                words.Add(word);
            }
        }

        return new CatalogTokenizer([.. Specials, .. words.Where(w => !Specials.Contains(w))]);
    }

    /// <summary>Reads a vocabulary file (one token per line, [PAD] first), e.g. one written by <see cref="Save"/>.</summary>
    public static CatalogTokenizer Load(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).ToArray();
        if (lines.Length < Specials.Length || lines[0] != "[PAD]")
        {
            throw new InvalidDataException($"{path}: not a vocabulary file ([PAD] must be the first token)");
        }

        return new CatalogTokenizer(lines);
    }

    public void Save(string path) => File.WriteAllText(path, string.Join('\n', Vocabulary) + "\n", Encoding.UTF8);

    /// <summary>[texts.Count, maxTokens] row-major ids: [CLS] first, then word pieces, truncated, 0-padded.</summary>
    public long[] Encode(IReadOnlyList<string> texts, int maxTokens)
    {
        var ids = new long[texts.Count * maxTokens];
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i]))
            {
                continue;
            }

            var tokens = _tokenizer.EncodeToIds(texts[i], addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true);
            var count = Math.Min(tokens.Count, maxTokens);
            for (var j = 0; j < count; j++)
            {
                ids[(i * maxTokens) + j] = tokens[j];
            }
        }

        return ids;
    }

    private static IEnumerable<string> PreTokenize(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text.ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }

            if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }

            if (!char.IsWhiteSpace(c) && !char.IsControl(c))
            {
                yield return c.ToString();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
