using Microsoft.ML.Tokenizers;

namespace HyMiRec.Model.Pretrained;

/// <summary>
/// A checkpoint's SentencePiece tokenizer.model (Microsoft.ML.Tokenizers). Every text becomes BOS + pieces + EOS,
/// cut to a maximum length that keeps both markers, so the last real token is always EOS: a causal model has read
/// the whole text there, which is why the encoder pools at that position.
/// </summary>
public sealed class LlamaTextTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;

    private LlamaTextTokenizer(SentencePieceTokenizer tokenizer) => _tokenizer = tokenizer;

    public int BeginId => _tokenizer.BeginningOfSentenceId;

    public int EndId => _tokenizer.EndOfSentenceId;

    public static LlamaTextTokenizer Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: SentencePiece tokenizer.model not found (tokenizer.json-only checkpoints are not supported)", path);
        }

        try
        {
            using var stream = File.OpenRead(path);
            return new LlamaTextTokenizer(SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false));
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: not a usable SentencePiece model: {e.Message}", e);
        }
    }

    /// <summary>BOS, the text's pieces and EOS, at most <paramref name="maxTokens"/> ids (pieces are cut, never the markers).</summary>
    public int[] Encode(string text, int maxTokens)
    {
        if (maxTokens < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "room for BOS and EOS is needed");
        }

        var pieces = string.IsNullOrEmpty(text) ? [] : _tokenizer.EncodeToIds(text);
        var kept = Math.Min(pieces.Count, maxTokens - 2);
        var ids = new int[kept + 2];
        ids[0] = BeginId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = EndId;
        return ids;
    }
}
